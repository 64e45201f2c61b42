using System.Text;
using System.Diagnostics.Metrics;
using DuckDB.NET.Data;
using Microsoft.Extensions.DependencyInjection;
using WineFunctions.Lake;
using WineFunctions.Sink;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Sink;

[Collection(Collections.Librdkafka)]
public sealed class SinkTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Consumer_lag_counts_what_is_not_yet_in_the_lake_and_each_flush_is_timed()
    {
        await using var lake = await LakeStore.FolderAsync();
        await using var harness = new SinkHarness(partitions: 2);
        // A meter factory of the test's own: other sinks running meanwhile are not heard.
        await using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = meters.GetRequiredService<IMeterFactory>();
        var metrics = new SinkMetrics(factory);
        var lag = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        var flushes = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == factory)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "wine.sink.consumer.lag")
            {
                lag[(string)tags[0].Value!] = value;
            }
        });
        listener.SetMeasurementEventCallback<double>((instrument, _, _, _) =>
        {
            if (instrument.Name == "wine.sink.flush.duration")
            {
                Interlocked.Increment(ref flushes);
            }
        });
        listener.Start();
        // Nothing is written before 10,000 records or a minute: the samples wait in the buffers, not yet in the lake.
        harness.StartSink(harness.Options(o => o with { FlushRecords = 10_000, FlushInterval = TimeSpan.FromMinutes(1) }), lake.Store, metrics);
        await harness.ProduceAsync(SinkHarness.Samples(300));

        await SinkHarness.WaitForAsync(() =>
        {
            listener.RecordObservableInstruments();
            return Task.FromResult(lag.Values.Sum() == 300);
        }, Patience, $"a lag of 300 over both partitions ({string.Join(", ", lag)})");
        Assert.Equal(["0", "1"], lag.Keys.Order());
        Assert.Equal(0, Volatile.Read(ref flushes));
        await harness.StopSinksAsync(); // a clean stop writes what it holds
        Assert.Equal(2, Volatile.Read(ref flushes));
        Assert.Equal(300, metrics.Counts.Samples);
    }

    [Fact]
    public async Task Parquet_objects_read_back_in_DuckDB_with_the_right_types_counts_and_partitions()
    {
        await using var lake = await LakeStore.FolderAsync();
        await using var harness = new SinkHarness();
        var metrics = harness.StartSink(harness.Options(), lake.Store);
        var samples = SinkHarness.Samples(1_000, from: new DateTimeOffset(2026, 11, 26, 17, 20, 0, TimeSpan.Zero), secondsApart: 10); // 17:20 to 20:06
        await harness.ProduceAsync(samples);
        await SinkHarness.WaitForAsync(() => Task.FromResult(metrics.Counts.Samples >= 1_000), Patience, "storing 1000 samples");
        await harness.StopSinksAsync();

        var root = lake.Store.Location;
        await using var duck = new DuckDBConnection("DataSource=:memory:");
        await duck.OpenAsync();
        var source = $"read_parquet('{root}/raw/samples/**/*.parquet', hive_partitioning = true)";
        var types = new Dictionary<string, string>();
        await using (var describe = duck.CreateCommand())
        {
            describe.CommandText = $"DESCRIBE SELECT * FROM {source}";
            await using var reader = await describe.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                types[reader.GetString(0)] = reader.GetString(1);
            }
        }
        Assert.Equal("TIMESTAMP WITH TIME ZONE", types["takenAt"]);
        Assert.Equal("VARCHAR", types["sampleId"]);
        Assert.Equal("DOUBLE", types["pH"]);
        Assert.Equal("DOUBLE", types["fixedAcidity"]);
        Assert.Equal("INTEGER", types["schema"]);
        Assert.Equal("VARCHAR", types["simulatedClass"]);

        await using var query = duck.CreateCommand();
        query.CommandText = $"""
            SELECT count(*), count(DISTINCT sampleId), min(alcohol), max(alcohol),
                   count(*) FILTER (WHERE strftime(takenAt AT TIME ZONE 'UTC', '%Y-%m-%d') <> CAST("date" AS VARCHAR)
                                       OR CAST(hour AS INTEGER) <> hour(takenAt AT TIME ZONE 'UTC'))
            FROM {source}
            """;
        await using var row = await query.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync());
        Assert.Equal(1_000L, Convert.ToInt64(row.GetValue(0)));
        Assert.Equal(1_000L, Convert.ToInt64(row.GetValue(1)));
        Assert.Equal(9.4, row.GetDouble(2));
        Assert.Equal(0L, Convert.ToInt64(row.GetValue(4))); // every sample sits under its own date and hour

        // The metadata of each object tells its count and offsets.
        var objects = await lake.Store.ListAsync(LakeLayout.RawSamples, CancellationToken.None).ToListAsync();
        var total = 0;
        foreach (var entry in objects)
        {
            var stored = await lake.Store.GetAsync(entry.Key, CancellationToken.None);
            var rows = await SampleParquet.ReadAsync(stored!.Content, CancellationToken.None);
            Assert.Equal(rows.Count.ToString(), stored.Metadata[ObjectMetadata.SampleCount]);
            Assert.Equal("1", stored.Metadata[ObjectMetadata.SchemaVersion]);
            Assert.EndsWith($"+{long.Parse(stored.Metadata[ObjectMetadata.FirstOffset]):D12}.parquet", entry.Key);
            Assert.True(long.Parse(stored.Metadata[ObjectMetadata.LastOffset]) >= long.Parse(stored.Metadata[ObjectMetadata.FirstOffset]));
            total += rows.Count;
        }
        Assert.Equal(1_000, total);
        Assert.Contains(objects, o => o.Key.Contains("date=2026-11-26/hour=17/"));
        Assert.Contains(objects, o => o.Key.Contains("date=2026-11-26/hour=18/"));
    }

    [Fact]
    public async Task A_quiet_partition_is_flushed_on_time_without_another_record()
    {
        await using var lake = await LakeStore.FolderAsync();
        await using var harness = new SinkHarness(partitions: 1);
        var metrics = harness.StartSink(harness.Options(o => o with { FlushRecords = 100_000, FlushInterval = TimeSpan.FromSeconds(1) }), lake.Store);
        await harness.ProduceAsync(SinkHarness.Samples(5));
        await SinkHarness.WaitForAsync(async () => (await SinkHarness.StoredSampleIdsAsync(lake.Store)).Count == 5, TimeSpan.FromSeconds(30), "the quiet partition's flush");
        // The object is stored first and its offsets committed after.
        await SinkHarness.WaitForAsync(() => Task.FromResult(metrics.Counts.Commits > 0), TimeSpan.FromSeconds(10), "the commit after the flush");
        Assert.Equal(1, metrics.Counts.Objects);
        Assert.Equal(1, metrics.Counts.Commits);
    }

    [Fact]
    public async Task A_burst_larger_than_the_memory_bound_completes_within_it()
    {
        await using var lake = await LakeStore.FolderAsync();
        await using var harness = new SinkHarness();
        const long bound = 1 << 20;
        var metrics = harness.StartSink(harness.Options(o => o with
        {
            FlushRecords = 1_000_000, FlushBytes = 256 << 10, MaxBufferedBytes = bound, FlushInterval = TimeSpan.FromSeconds(3),
        }), lake.Store);
        var samples = SinkHarness.Samples(20_000); // about 8 MiB, 8 times the bound
        await harness.ProduceAsync(samples);
        await SinkHarness.WaitForAsync(() => Task.FromResult(metrics.Counts.Samples >= 20_000), Patience, "storing the burst");
        var largest = samples.Max(s => SampleJsonLength(s));
        Assert.InRange(metrics.Counts.PeakBufferedBytes, 1, bound + largest);
        Assert.Equal(20_000, (await SinkHarness.StoredSampleIdsAsync(lake.Store)).Distinct().Count());
    }

    [Fact]
    public async Task A_rebalance_to_a_second_sink_neither_loses_nor_repeats_a_sample()
    {
        await using var lake = await LakeStore.FolderAsync();
        await using var harness = new SinkHarness();
        var first = harness.StartSink(harness.Options(), lake.Store);
        await harness.ProduceAsync(SinkHarness.Samples(3_000, "a"));
        await SinkHarness.WaitForAsync(() => Task.FromResult(first.Counts.Samples > 0), Patience, "the first sink's first run");
        var second = harness.StartSink(harness.Options(), lake.Store);
        await SinkHarness.WaitForAsync(() => Task.FromResult(second.Counts.Partitions > 0 && first.Counts.Partitions + second.Counts.Partitions == 6),
            Patience, "the rebalance that gives the second sink partitions");
        await harness.ProduceAsync(SinkHarness.Samples(3_000, "b"));
        await SinkHarness.WaitForAsync(() => Task.FromResult(first.Counts.Samples + second.Counts.Samples >= 6_000), Patience, "storing 6000 samples");
        await harness.StopSinksAsync();

        Assert.True(second.Counts.Samples > 0, "the second sink must have taken partitions over");
        var stored = await SinkHarness.StoredSampleIdsAsync(lake.Store);
        Assert.Equal(6_000, stored.Count);
        Assert.Equal(6_000, stored.Distinct().Count());
    }

    [Fact]
    public async Task Records_that_are_not_samples_go_to_the_dead_letter_prefix_with_the_reason()
    {
        await using var lake = await LakeStore.FolderAsync();
        await using var harness = new SinkHarness(partitions: 1);
        var metrics = harness.StartSink(harness.Options(o => o with { FlushRecords = 12 }), lake.Store);
        var samples = SinkHarness.Samples(10);
        await harness.ProduceRawAsync([
            .. samples.Take(5).Select(s => (s.BatchId, WineFunctions.Samples.SampleJson.Serialize(s))),
            ("junk", "not a sample"u8.ToArray()),
            ("junk", Encoding.UTF8.GetBytes("{\"sampleId\":\"x\"}")),
            .. samples.Skip(5).Select(s => (s.BatchId, WineFunctions.Samples.SampleJson.Serialize(s))),
        ]);
        await SinkHarness.WaitForAsync(() => Task.FromResult(metrics.Counts.Samples + metrics.Counts.DeadLetters >= 12), Patience, "the run");
        Assert.Equal(10, (await SinkHarness.StoredSampleIdsAsync(lake.Store)).Count);
        var letters = await lake.Store.GetAsync(LakeLayout.SinkDeadLetters(SinkHarness.Topic, 0, 0), CancellationToken.None);
        var lines = Encoding.UTF8.GetString(letters!.Content).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"offset\":5", lines[0]);
        Assert.Contains("not valid UTF-8 JSON", lines[0]);
        Assert.Contains("is missing", lines[1]);
    }

    private static int SampleJsonLength(WineFunctions.Samples.WineSample sample) => WineFunctions.Samples.SampleJson.Serialize(sample).Length;
}
