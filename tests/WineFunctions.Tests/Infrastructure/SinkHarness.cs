using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using WineFunctions.Kafka;
using WineFunctions.Lake;
using WineFunctions.Samples;
using WineFunctions.Sink;
using WineFunctions.Tests.Samples;

namespace WineFunctions.Tests.Infrastructure;

/// <summary>A Kafka mock cluster with a samples topic, sinks run against it, and ways to fill it and read the lake.</summary>
internal sealed class SinkHarness : IAsyncDisposable
{
    public const string Topic = "wine.samples";
    private readonly List<(CancellationTokenSource Stop, Task Running, SinkMetrics Metrics)> _sinks = [];
    private readonly bool _ownsKafka;
    private readonly string _topic = Topic;

    public SinkHarness(int partitions = 6)
    {
        Kafka = KafkaMockCluster.Start(3);
        Kafka.CreateTopic(Topic, partitions, 3);
        _ownsKafka = true;
    }

    /// <summary>Sinks on a cluster and topic someone else owns (the bridge's).</summary>
    public SinkHarness(KafkaMockCluster kafka, string topic)
    {
        Kafka = kafka;
        _topic = topic;
    }

    public KafkaMockCluster Kafka { get; }

    public SinkOptions Options(Func<SinkOptions, SinkOptions>? adjust = null)
    {
        var options = new SinkOptions
        {
            BootstrapServers = Kafka.BootstrapServers,
            Topic = _topic,
            ConsumerGroup = "test-sink",
            FlushRecords = 200,
            FlushInterval = TimeSpan.FromSeconds(2),
            // Quick hand-over when a sink stops answering, for the tests that take one away.
            Settings = new Dictionary<string, string> { ["session.timeout.ms"] = "6000", ["max.poll.interval.ms"] = "7000", ["heartbeat.interval.ms"] = "500" },
        };
        return adjust is null ? options : adjust(options);
    }

    public SinkMetrics StartSink(SinkOptions options, IObjectStore store, SinkMetrics? metrics = null)
    {
        metrics ??= new SinkMetrics();
        var stop = new CancellationTokenSource();
        var host = new KafkaSinkHost(options, store, TimeProvider.System, NullLogger<KafkaSinkHost>.Instance, metrics);
        _sinks.Add((stop, host.RunAsync(stop.Token), metrics));
        return metrics;
    }

    public static List<WineSample> Samples(int count, string prefix = "s", DateTimeOffset? from = null, int secondsApart = 2) =>
        Enumerable.Range(0, count).Select(i => SampleContractTests.Valid() with
        {
            SampleId = $"{prefix}-{i:D6}",
            BatchId = $"batch-{i % 25:D3}",
            // A fixed start, so that how many hours (and so objects) the samples span does not depend on the clock.
            TakenAt = (from ?? new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero)).AddSeconds(i * secondsApart),
        }).ToList();

    public async Task ProduceAsync(IEnumerable<WineSample> samples) => await ProduceRawAsync(samples.Select(s => (s.BatchId, SampleJson.Serialize(s))));

    public async Task ProduceRawAsync(IEnumerable<(string Key, byte[] Value)> records)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = Kafka.BootstrapServers, EnableIdempotence = true, LingerMs = 5 }).Build();
        foreach (var (key, value) in records)
        {
            producer.Produce(Topic, new Message<string, byte[]> { Key = key, Value = value });
        }
        producer.Flush(TimeSpan.FromSeconds(30));
        await Task.CompletedTask;
    }

    /// <summary>Every sample id in the lake's raw sample objects, one entry per stored row.</summary>
    public static async Task<List<string>> StoredSampleIdsAsync(IObjectStore store)
    {
        var ids = new List<string>();
        await foreach (var entry in store.ListAsync(LakeLayout.RawSamples, CancellationToken.None))
        {
            var stored = await store.GetAsync(entry.Key, CancellationToken.None);
            ids.AddRange((await SampleParquet.ReadAsync(stored!.Content, CancellationToken.None)).Select(s => s.SampleId));
        }
        return ids;
    }

    /// <summary>
    /// Polls until <paramref name="done"/>. A poll that throws counts as not yet: s3rver writes an
    /// object in place, so a sink rewriting one (as a run's next owner does) can be read half
    /// written. Only the last such failure is reported, with the timeout.
    /// </summary>
    public static async Task WaitForAsync(Func<Task<bool>> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? lastFailure = null;
        while (true)
        {
            try
            {
                if (await done())
                {
                    return;
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                lastFailure = e;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what} did not happen within {timeout}", lastFailure);
            }
            await Task.Delay(200);
        }
    }

    public async Task StopSinksAsync()
    {
        var sinks = _sinks.ToList();
        _sinks.Clear();
        foreach (var (stop, running, _) in sinks)
        {
            await stop.CancelAsync();
            // Bounded: a sink that cannot stop fails the test instead of hanging the run.
            await running.WaitAsync(TimeSpan.FromMinutes(1));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopSinksAsync();
        if (_ownsKafka)
        {
            Kafka.Dispose();
        }
    }
}
