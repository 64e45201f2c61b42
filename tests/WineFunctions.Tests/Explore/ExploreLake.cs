using System.Text;
using System.Text.Json;
using DuckDB.NET.Data;
using WineFunctions.Lake;
using WineFunctions.Samples;
using WineFunctions.Simulation;

namespace WineFunctions.Tests.Explore;

/// <summary>A batch the tests put into a lake, with the taster scores they give it.</summary>
public sealed record TestBatch(string BatchId, string WarehouseId, WineColour Colour, QualityClass Class, int[] Scores, DateTimeOffset TakenAt);

/// <summary>
/// Writes what the other teams' code writes, in their contracts (helper brief): raw sample objects
/// as the sink names them, taster score and customer rating JSON objects, prediction Parquet.
/// </summary>
internal static class ExploreLake
{
    public static readonly DateTimeOffset Day = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Samples for each batch drawn from the simulator's model (class as the batch says), one raw object per batch.</summary>
    public static async Task<List<WineSample>> WriteSamplesAsync(IObjectStore store, IEnumerable<TestBatch> batches, int samplesPerBatch, int seed = 7, long firstOffset = 0)
    {
        var generator = new SampleGenerator(SampleModelFigures.Uci, new Random(seed));
        var all = new List<WineSample>();
        var offset = firstOffset;
        foreach (var batch in batches)
        {
            var profile = generator.DrawBatch(batch.BatchId, batch.Colour, batch.Class);
            var samples = Enumerable.Range(0, samplesPerBatch).Select(i => WineSample.Create($"{batch.BatchId}-s{i:D3}", batch.BatchId, batch.WarehouseId,
                $"{batch.WarehouseId}-dev-1", batch.TakenAt.AddSeconds(i), batch.Colour, generator.DrawSample(profile), batch.Class)).ToList();
            await WriteRawAsync(store, samples, offset);
            offset += samples.Count;
            all.AddRange(samples);
        }
        return all;
    }

    public static async Task<string> WriteRawAsync(IObjectStore store, IReadOnlyList<WineSample> samples, long firstOffset)
    {
        var key = LakeLayout.RawSampleObject(samples[0].TakenAt, "wine.samples", 0, firstOffset, SampleFormat.Parquet);
        await store.PutAsync(key, await SampleParquet.WriteAsync(samples, new Dictionary<string, string>(), CancellationToken.None), new Dictionary<string, string>(), CancellationToken.None);
        return key;
    }

    public static async Task WriteScoresAsync(IObjectStore store, IEnumerable<TestBatch> batches)
    {
        foreach (var batch in batches)
        {
            for (var i = 0; i < batch.Scores.Length; i++)
            {
                var scoredAt = batch.TakenAt.AddDays(1).AddMinutes(i);
                var scoreId = $"{batch.BatchId}-score-{i}";
                var json = JsonSerializer.Serialize(new
                {
                    scoreId, batchId = batch.BatchId, tasterId = $"taster-{i}", score = batch.Scores[i],
                    note = i == 0 ? "clean finish" : null, scoredAt = scoredAt.ToString("yyyy-MM-ddTHH:mm:ssZ"),
                });
                await store.PutAsync(LakeLayout.Opinion(LakeLayout.TasterScores, scoredAt, scoreId, 1), Encoding.UTF8.GetBytes(json), new Dictionary<string, string>(), CancellationToken.None);
            }
        }
    }

    public static async Task WriteRatingAsync(IObjectStore store, string batchId, int stars, DateTimeOffset ratedAt)
    {
        var ratingId = $"{batchId}-rating-{stars}";
        var json = JsonSerializer.Serialize(new { ratingId, batchId, customerId = "c-1", stars, note = (string?)null, ratedAt = ratedAt.ToString("yyyy-MM-ddTHH:mm:ssZ") });
        await store.PutAsync(LakeLayout.Opinion(LakeLayout.CustomerRatings, ratedAt, ratingId, 1), Encoding.UTF8.GetBytes(json), new Dictionary<string, string>(), CancellationToken.None);
    }

    /// <summary>A predictions object in the brief's schema for a raw object: every sample predicted as <paramref name="predict"/> says.</summary>
    public static async Task WritePredictionsAsync(IObjectStore store, string rawKey, IReadOnlyList<WineSample> samples, Func<WineSample, QualityClass> predict)
    {
        var file = Path.Combine(Path.GetTempPath(), $"wine-predictions-{Guid.NewGuid():N}.parquet");
        try
        {
            await using (var duck = new DuckDBConnection("DataSource=:memory:"))
            {
                await duck.OpenAsync();
                var rows = string.Join(",\n", samples.Select(s =>
                {
                    var c = predict(s);
                    return $"('{s.SampleId}', '{s.BatchId}', '{c.Name()}', {(c == QualityClass.Good ? 0.8 : 0.1)}, {(c == QualityClass.Better ? 0.8 : 0.1)}, {(c == QualityClass.Best ? 0.8 : 0.1)}, 3, NULL)";
                }));
                await using var command = duck.CreateCommand();
                command.CommandText = $"""
                    COPY (SELECT col0::VARCHAR AS sampleId, col1::VARCHAR AS batchId, col2::VARCHAR AS predictedClass, col3::DOUBLE AS probabilityGood,
                                 col4::DOUBLE AS probabilityBetter, col5::DOUBLE AS probabilityBest, col6::INTEGER AS modelVersion, col7::VARCHAR AS rejection
                          FROM (VALUES {rows})) TO '{file}' (FORMAT parquet)
                    """;
                await command.ExecuteNonQueryAsync();
            }
            await store.PutAsync(LakeLayout.PredictionsFor(rawKey), await File.ReadAllBytesAsync(file), new Dictionary<string, string>(), CancellationToken.None);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>A model registry as the lead's training writes it: champion pointer and the version's card.</summary>
    public static async Task WriteChampionAsync(IObjectStore store, int version, string metricsJson)
    {
        await store.PutAsync("models/champion.json", Encoding.UTF8.GetBytes($$"""{"version": {{version}}, "promotedAt": "2026-11-27T10:00:00Z"}"""), new Dictionary<string, string>(), CancellationToken.None);
        await store.PutAsync($"models/versions/{version:D6}/card.json", Encoding.UTF8.GetBytes($$"""{"version": {{version}}, "metrics": {{metricsJson}}}"""), new Dictionary<string, string>(), CancellationToken.None);
    }
}
