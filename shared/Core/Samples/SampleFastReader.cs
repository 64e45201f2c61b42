using System.Text;
using System.Text.Json;

namespace WineFunctions.Samples;

/// <summary>
/// The validator's fast path: one pass of a <see cref="Utf8JsonReader"/> over a payload in the
/// contract's usual form (known fields only, each once, of the right type), with no document, no
/// field dictionary and no rejection list. It only ever accepts a sample that the full validator
/// would accept as the same sample; anything unusual (unknown fields, a wrong type, a rule broken)
/// returns null and the full validator names every reason. The sink reads every record through
/// here, so this is its hottest code.
/// </summary>
internal static class SampleFastReader
{
    // Field indexes: the contract's order (the four ids from sampleId to deviceId), the 11 measurements in Measurement.All order, then the optional class.
    private const int Schema = 0, SampleId = 1, DeviceId = 4, TakenAt = 5, Wine = 6, FirstMeasurement = 7, SimulatedClass = 18;

    private static readonly byte[][] Names =
    [
        .. new[] { SampleFields.Schema, SampleFields.SampleId, SampleFields.BatchId, SampleFields.WarehouseId, SampleFields.DeviceId, SampleFields.TakenAt, SampleFields.Wine }
            .Concat(Measurement.All.Select(m => m.Field)).Append(SampleFields.SimulatedClass).Select(Encoding.UTF8.GetBytes),
    ];

    private static readonly int Required = (1 << SimulatedClass) - 1;

    public static WineSample? TryRead(ReadOnlySpan<byte> payload, DateTimeOffset now, SampleValidationOptions options)
    {
        try
        {
            return Read(payload, now, options);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null; // the full validator says why
        }
    }

    private static WineSample? Read(ReadOnlySpan<byte> payload, DateTimeOffset now, SampleValidationOptions options)
    {
        var reader = new Utf8JsonReader(payload);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }
        var values = new double[Measurement.All.Count];
        var ids = new string?[DeviceId - SampleId + 1];
        int schema = 0, seen = 0, expected = 0;
        var takenAt = default(DateTimeOffset);
        var wine = default(WineColour);
        QualityClass? simulatedClass = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // Our own devices write the fields in contract order, so the next one is tried first.
            var field = Find(ref reader, expected);
            if (field < 0 || (seen & (1 << field)) != 0 || !reader.Read())
            {
                return null;
            }
            seen |= 1 << field;
            expected = field + 1;
            switch (field)
            {
                case Schema when reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out schema) && schema >= WineSample.CurrentSchema:
                    break;
                case >= SampleId and <= DeviceId when Id(ref reader) is { } id:
                    ids[field - SampleId] = id;
                    break;
                case TakenAt when Timestamp(ref reader, now, options) is { } at:
                    takenAt = at;
                    break;
                case Wine when reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped:
                    if (reader.ValueTextEquals("red"u8)) wine = WineColour.Red;
                    else if (reader.ValueTextEquals("white"u8)) wine = WineColour.White;
                    else return null;
                    break;
                case >= FirstMeasurement and < SimulatedClass when reader.TokenType == JsonTokenType.Number
                                                            && reader.TryGetDouble(out var value) && Measurement.All[field - FirstMeasurement].Allows(value):
                    values[field - FirstMeasurement] = value;
                    break;
                case SimulatedClass when reader.TokenType == JsonTokenType.Null:
                    break;
                case SimulatedClass when reader.TokenType == JsonTokenType.String:
                    simulatedClass = reader.ValueTextEquals("good"u8) ? QualityClass.Good
                        : reader.ValueTextEquals("better"u8) ? QualityClass.Better
                        : reader.ValueTextEquals("best"u8) ? QualityClass.Best
                        : null;
                    if (simulatedClass is null) return null;
                    break;
                default:
                    return null;
            }
        }
        // Free sulfur dioxide is a part of the total (index 5 of 6).
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read() || (seen & Required) != Required || values[5] > values[6])
        {
            return null;
        }
        return WineSample.Create(ids[0]!, ids[1]!, ids[2]!, ids[3]!, takenAt, wine, values, simulatedClass, schema);
    }

    private static int Find(ref Utf8JsonReader reader, int expected)
    {
        if (expected < Names.Length && reader.ValueTextEquals(Names[expected]))
        {
            return expected;
        }
        for (var i = 0; i < Names.Length; i++)
        {
            if (reader.ValueTextEquals(Names[i]))
            {
                return i;
            }
        }
        return -1;
    }

    private static string? Id(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String && reader.GetString() is { } id && SampleValidator.IsValidId(id) ? id : null;

    private static DateTimeOffset? Timestamp(ref Utf8JsonReader reader, DateTimeOffset now, SampleValidationOptions options)
    {
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || !reader.TryGetDateTimeOffset(out var at))
        {
            return null;
        }
        var text = reader.ValueSpan;
        var utc = at.Offset == TimeSpan.Zero && (text.EndsWith("Z"u8) || text.EndsWith("+00:00"u8));
        return utc && at <= now + options.MaxClockSkew && at >= options.Earliest ? at : null;
    }
}
