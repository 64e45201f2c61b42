using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace WineFunctions.Samples;

/// <summary>Limits the validator applies; the defaults are the contract's.</summary>
public sealed record SampleValidationOptions
{
    /// <summary>A sample is about 600 bytes; anything far larger is hostile or broken.</summary>
    public int MaxPayloadBytes { get; init; } = 16 * 1024;

    /// <summary>Device clocks drift; more than this ahead of the receiver is refused.</summary>
    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A device whose clock reset to 1970 must not write into the lake's far past.</summary>
    public DateTimeOffset Earliest { get; init; } = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly SampleValidationOptions Default = new();
}

/// <summary>
/// Turns device bytes into a <see cref="WineSample"/> or the full list of reasons it is refused.
/// Never throws on hostile input: every failure becomes a <see cref="SampleRejection"/>.
/// </summary>
public static partial class SampleValidator
{
    // Samples are flat; a little nesting is allowed for unknown fields of later schema versions.
    private const int MaxDepth = 8;

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}\z")]
    private static partial Regex IdPattern();

    public static SampleValidation Validate(ReadOnlySpan<byte> payload, DateTimeOffset now, SampleValidationOptions? options = null)
    {
        options ??= SampleValidationOptions.Default;
        if (payload.Length > options.MaxPayloadBytes)
        {
            return Refused(new SampleRejection("$", RejectionCode.PayloadTooLarge,
                $"payload is {payload.Length} bytes, more than the {options.MaxPayloadBytes} allowed"));
        }

        if (SampleFastReader.TryRead(payload, now, options) is { } sample)
        {
            return new SampleValidation(sample, []);
        }
        return Explain(payload, now, options);
    }

    /// <summary>The full validation: parses the whole payload and collects every reason it is refused.</summary>
    internal static SampleValidation Explain(ReadOnlySpan<byte> payload, DateTimeOffset now, SampleValidationOptions options)
    {
        try
        {
            var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = MaxDepth });
            using var document = JsonDocument.ParseValue(ref reader);
            if (reader.Read())
            {
                return Refused(new SampleRejection("$", RejectionCode.MalformedJson, "unexpected content after the JSON object"));
            }
            return Validate(document.RootElement, now, options);
        }
        catch (JsonException e)
        {
            return Refused(new SampleRejection("$", RejectionCode.MalformedJson, $"not valid UTF-8 JSON: {e.Message}"));
        }
        catch (InvalidOperationException e)
        {
            // Invalid UTF-8 inside a string surfaces only when the string is transcoded.
            return Refused(new SampleRejection("$", RejectionCode.MalformedJson, $"not valid UTF-8 JSON: {e.Message}"));
        }
    }

    /// <summary>
    /// For samples accepted once already (Kafka records, lake objects): every rule but the clock's,
    /// so the outcome never depends on when the bytes are read again.
    /// </summary>
    public static SampleValidation ValidateStored(ReadOnlySpan<byte> payload) => Validate(payload, Timeless);

    /// <summary><see cref="Check"/> for a sample read back from the lake: every rule but the clock's.</summary>
    public static IReadOnlyList<SampleRejection> CheckStored(WineSample sample) => Check(sample, Timeless);

    private static readonly DateTimeOffset Timeless = DateTimeOffset.MaxValue.AddDays(-1);

    /// <summary>Checks a sample built in code (the simulator, tests) against the same rules as device bytes.</summary>
    public static IReadOnlyList<SampleRejection> Check(WineSample sample, DateTimeOffset now, SampleValidationOptions? options = null)
    {
        var rejections = new List<SampleRejection>();
        CheckSemantics(sample, now, options ?? SampleValidationOptions.Default, rejections);
        return rejections;
    }

    private static SampleValidation Validate(JsonElement root, DateTimeOffset now, SampleValidationOptions options)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Refused(new SampleRejection("$", RejectionCode.NotAnObject, $"expected a JSON object, found {root.ValueKind}"));
        }

        var rejections = new List<SampleRejection>();
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (!fields.TryAdd(property.Name, property.Value) && SampleFields.Known.Contains(property.Name))
            {
                rejections.Add(new(property.Name, RejectionCode.DuplicateField, "appears more than once"));
            }
        }

        var reading = new FieldReader(fields, rejections);
        var schema = reading.Integer(SampleFields.Schema);
        var sampleId = reading.Id(SampleFields.SampleId);
        var batchId = reading.Id(SampleFields.BatchId);
        var warehouseId = reading.Id(SampleFields.WarehouseId);
        var deviceId = reading.Id(SampleFields.DeviceId);
        var takenAt = reading.Timestamp(SampleFields.TakenAt);
        var wine = reading.Colour(SampleFields.Wine);
        var values = Measurement.All.Select(m => reading.Number(m.Field)).ToArray();
        var simulatedClass = reading.OptionalClass(SampleFields.SimulatedClass);

        if (rejections.Count > 0 || schema is null || sampleId is null || batchId is null || warehouseId is null
            || deviceId is null || takenAt is null || wine is null || values.Any(v => v is null))
        {
            // Semantic checks still run on what could be read, so the device hears every reason at once.
            CheckReadable(schema, takenAt, values, now, options, rejections);
            return new SampleValidation(null, rejections);
        }

        var sample = WineSample.Create(sampleId, batchId, warehouseId, deviceId, takenAt.Value, wine.Value,
            values.Select(v => v!.Value).ToArray(), simulatedClass, schema.Value);
        CheckSemantics(sample, now, options, rejections);
        return rejections.Count == 0 ? new SampleValidation(sample, rejections) : new SampleValidation(null, rejections);
    }

    private static void CheckSemantics(WineSample sample, DateTimeOffset now, SampleValidationOptions options, List<SampleRejection> rejections)
    {
        CheckReadable(sample.Schema, sample.TakenAt, sample.Measurements().Select(v => (double?)v).ToArray(), now, options, rejections);
        foreach (var (field, id) in new[]
                 {
                     (SampleFields.SampleId, sample.SampleId), (SampleFields.BatchId, sample.BatchId),
                     (SampleFields.WarehouseId, sample.WarehouseId), (SampleFields.DeviceId, sample.DeviceId),
                 })
        {
            if (!IsValidId(id))
            {
                rejections.Add(BadId(field));
            }
        }
    }

    private static void CheckReadable(int? schema, DateTimeOffset? takenAt, double?[] values, DateTimeOffset now,
        SampleValidationOptions options, List<SampleRejection> rejections)
    {
        if (schema is < WineSample.CurrentSchema)
        {
            rejections.Add(new(SampleFields.Schema, RejectionCode.UnsupportedSchema,
                $"schema {schema} is not a contract version (versions start at {WineSample.CurrentSchema})"));
        }

        if (takenAt is { } at)
        {
            if (at > now + options.MaxClockSkew)
            {
                rejections.Add(new(SampleFields.TakenAt, RejectionCode.TimestampInFuture,
                    $"{Iso(at)} is more than {options.MaxClockSkew.TotalMinutes:0} minutes after the receiver's clock ({Iso(now)})"));
            }
            else if (at < options.Earliest)
            {
                rejections.Add(new(SampleFields.TakenAt, RejectionCode.TimestampTooOld, $"{Iso(at)} is before {Iso(options.Earliest)}"));
            }
        }

        for (var i = 0; i < Measurement.All.Count; i++)
        {
            var measurement = Measurement.All[i];
            if (values[i] is not { } value)
            {
                continue;
            }
            if (!double.IsFinite(value))
            {
                rejections.Add(new(measurement.Field, RejectionCode.NotFinite, "must be a finite number"));
            }
            else if (!measurement.Allows(value))
            {
                rejections.Add(new(measurement.Field, RejectionCode.OutOfBounds,
                    $"{value.ToString(CultureInfo.InvariantCulture)} {measurement.Unit} is outside the possible range [{measurement.Min}, {measurement.Max}]"));
            }
        }

        // Free sulfur dioxide is a part of the total, so it can never exceed it.
        if (values[5] is { } free && values[6] is { } total && double.IsFinite(free) && double.IsFinite(total) && free > total)
        {
            rejections.Add(new(Measurement.FreeSulfurDioxide.Field, RejectionCode.Inconsistent,
                $"free sulfur dioxide ({free.ToString(CultureInfo.InvariantCulture)}) exceeds total sulfur dioxide ({total.ToString(CultureInfo.InvariantCulture)})"));
        }
    }

    public static bool IsValidId(string id) => IdPattern().IsMatch(id);

    internal static SampleRejection BadId(string field) => new(field, RejectionCode.BadId,
        "must be 1-64 characters: letters, digits and . _ : - (starting with a letter or digit)");

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static SampleValidation Refused(SampleRejection rejection) => new(null, [rejection]);
}
