using DuckDB.NET.Data;
using WineFunctions.Lake;
using WineFunctions.Samples;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Lake;

/// <summary>Query engines skip row groups by the file's statistics: the raw objects' must be right.</summary>
[Trait(Categories.Name, Categories.Unit)]
public sealed class SampleParquetStatisticsTests
{
    [Theory]
    [InlineData("takenAt >= TIMESTAMPTZ '2026-11-26 00:00:00+00'", 3)]
    [InlineData("takenAt < TIMESTAMPTZ '2026-11-26 10:30:00+00'", 2)]
    [InlineData("takenAt > TIMESTAMPTZ '2026-11-26 10:30:00+00'", 1)]
    [InlineData("takenAt >= TIMESTAMPTZ '2026-11-27 00:00:00+00'", 0)]
    public async Task A_query_engine_filtering_raw_objects_by_takenAt_finds_exactly_the_matching_samples(string filter, long expected)
    {
        var start = new DateTimeOffset(2026, 11, 26, 9, 0, 0, 123, TimeSpan.Zero);
        var samples = Enumerable.Range(0, 3).Select(i => WineSample.Create($"s-{i}", "b-1", "wh-01", "wh-01-dev-1", start.AddHours(i), WineColour.Red,
            [7.4, 0.7, 0, 1.9, 0.076, 11, 34, 0.9978, 3.51, 0.56, 9.4])).ToList();
        var file = Path.Combine(Directory.CreateTempSubdirectory("wine-parquet-stats-").FullName, "samples.parquet");
        await File.WriteAllBytesAsync(file, await SampleParquet.WriteAsync(samples, new Dictionary<string, string>(), CancellationToken.None));
        try
        {
            using var duck = new DuckDBConnection("DataSource=:memory:");
            duck.Open();
            using var query = duck.CreateCommand();
            query.CommandText = $"SET TimeZone = 'UTC'; SELECT count(*) FROM read_parquet('{file}') WHERE {filter}";
            Assert.Equal(expected, Convert.ToInt64(query.ExecuteScalar()));

            // And the values themselves come back to the millisecond.
            Assert.Equal(samples.Select(s => s.TakenAt), (await SampleParquet.ReadAsync(await File.ReadAllBytesAsync(file), CancellationToken.None)).Select(s => s.TakenAt));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }
}
