using System.Text.Json;
using System.Text.Json.Serialization;
using WineFunctions.Samples;

namespace WineFunctions.Ratings;

/// <summary>
/// The running sums behind a batch's card, so indexing a new lake object adds to a batch without
/// reading its older objects again. Stored as JSON in the database's batch row.
/// </summary>
public sealed class BatchTally
{
    public string BatchId { get; set; } = "";
    public WineColour? Colour { get; set; }
    public string? WarehouseId { get; set; }
    public DateTimeOffset? FirstSampledAt { get; set; }
    public DateTimeOffset? LastSampledAt { get; set; }
    public int Samples { get; set; }
    public double[] Sums { get; set; } = new double[Measurement.All.Count];
    public double[] Mins { get; set; } = Enumerable.Repeat(double.MaxValue, Measurement.All.Count).ToArray();
    public double[] Maxes { get; set; } = Enumerable.Repeat(double.MinValue, Measurement.All.Count).ToArray();

    /// <summary>Per model version: how many samples it called good, better, best, and how many it rejected.</summary>
    public Dictionary<int, int[]> Predictions { get; set; } = [];

    public void Add(WineSample sample)
    {
        Colour = sample.Wine;
        WarehouseId = sample.WarehouseId;
        FirstSampledAt = FirstSampledAt is { } first && first <= sample.TakenAt ? first : sample.TakenAt;
        LastSampledAt = LastSampledAt is { } last && last >= sample.TakenAt ? last : sample.TakenAt;
        Samples++;
        var values = sample.Measurements();
        for (var i = 0; i < values.Length; i++)
        {
            Sums[i] += values[i];
            Mins[i] = Math.Min(Mins[i], values[i]);
            Maxes[i] = Math.Max(Maxes[i], values[i]);
        }
    }

    public void Add(PredictionRow prediction)
    {
        if (!Predictions.TryGetValue(prediction.ModelVersion, out var counts))
        {
            Predictions[prediction.ModelVersion] = counts = new int[4];
        }
        counts[prediction.PredictedClass is { } predicted ? (int)predicted : 3]++;
    }

    public void Merge(BatchTally other)
    {
        Colour = other.Colour ?? Colour;
        WarehouseId = other.WarehouseId ?? WarehouseId;
        FirstSampledAt = Earliest(FirstSampledAt, other.FirstSampledAt);
        LastSampledAt = Latest(LastSampledAt, other.LastSampledAt);
        Samples += other.Samples;
        for (var i = 0; i < Sums.Length; i++)
        {
            Sums[i] += other.Sums[i];
            Mins[i] = Math.Min(Mins[i], other.Mins[i]);
            Maxes[i] = Math.Max(Maxes[i], other.Maxes[i]);
        }
        foreach (var (version, counts) in other.Predictions)
        {
            var mine = Predictions.TryGetValue(version, out var existing) ? existing : Predictions[version] = new int[4];
            for (var i = 0; i < mine.Length; i++)
            {
                mine[i] += counts[i];
            }
        }
    }

    /// <summary>The newest model version's majority class; ties go to the lower class, the cautious call.</summary>
    public BatchPrediction? Prediction()
    {
        if (Predictions.Count == 0)
        {
            return null;
        }
        var version = Predictions.Keys.Max();
        var counts = Predictions[version];
        var classified = counts[0] + counts[1] + counts[2];
        if (classified == 0)
        {
            return null;
        }
        var best = 0;
        for (var i = 1; i < 3; i++)
        {
            best = counts[i] > counts[best] ? i : best;
        }
        return new BatchPrediction((QualityClass)best, version, classified, counts[3]);
    }

    /// <summary>The batch, once it has samples (a prediction can be indexed before its samples' object).</summary>
    public Batch? ToBatch()
    {
        if (Samples == 0 || Colour is not { } colour || WarehouseId is null || FirstSampledAt is null || LastSampledAt is null)
        {
            return null;
        }
        var measurements = Measurement.All.Select((m, i) => new MeasurementSummary(m.Field, m.Unit, Sums[i] / Samples, Mins[i], Maxes[i])).ToList();
        return new Batch(BatchId, colour, WarehouseId, FirstSampledAt.Value, LastSampledAt.Value, Samples, measurements, Prediction());
    }

    public string ToJson() => JsonSerializer.Serialize(this, BatchTallyJsonContext.Default.BatchTally);

    public static BatchTally FromJson(string json) =>
        JsonSerializer.Deserialize(json, BatchTallyJsonContext.Default.BatchTally) ?? throw new InvalidDataException("empty batch tally");

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(BatchTally))]
internal sealed partial class BatchTallyJsonContext : JsonSerializerContext;
