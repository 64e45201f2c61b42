using System.Collections.Concurrent;
using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using WineFunctions.Ingest;
using WineFunctions.Kafka;
using WineFunctions.Lake;
using WineFunctions.Mqtt;
using WineFunctions.Samples;
using WineFunctions.Simulation;
using WineFunctions.Sink;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Benchmarks;

/// <summary>
/// (a) how fast a plain Confluent.Kafka consumer reads the samples topic, (b) how fast the sink
/// goes from Kafka to stored objects on the folder store and on s3rver, with its peak buffered
/// bytes against the bound, and (c) the latency from a device's publish to the object holding the
/// sample being stored, through mosquitto, the bridge and the sink.
/// </summary>
internal static class SinkBenchmark
{
    private const string Topic = "wine.samples";
    private const int Partitions = 12; // the mock keeps only ~5 MiB per partition: spread the load
    private const int RunRecords = 4_000;

    public static async Task<int> RunAsync(int samples, int latencySeconds, CancellationToken cancellationToken)
    {
        // Every partition holds whole runs: a busy stream is measured, not the quiet-partition wait
        // for a last partial run at the end of a finite topic (the latency measure covers that).
        samples = Math.Max(1, samples / (Partitions * RunRecords)) * Partitions * RunRecords;
        using var kafka = KafkaMockCluster.Start(3);
        kafka.CreateTopic(Topic, Partitions, 3);
        Produce(kafka.BootstrapServers, samples);
        Console.WriteLine($"{samples:N0} samples in {Topic} ({Partitions} partitions of {samples / Partitions:N0})");

        var options = new SinkOptions
        {
            BootstrapServers = kafka.BootstrapServers,
            Topic = Topic,
            // Runs of a few thousand samples, as a busy partition makes; the tail goes out after a second.
            FlushRecords = RunRecords,
            FlushInterval = TimeSpan.FromSeconds(1),
            MaxBufferedBytes = 32L << 20,
        };
        await using (var warmUp = await LakeStore.FolderAsync())
        {
            // The JIT's tiers settle first, as they have in a sink that has run for a while.
            await SinkRateAsync(options with { ConsumerGroup = "bench-warm-up" }, warmUp.Store, samples, cancellationToken);
        }
        // Plain consumers read warm, after the warm-up: with librdkafka's defaults, whose one-second
        // pause once the prefetch queue is full can dominate a short read, and with the sink's own settings.
        var defaults = RawConsume(new ConsumerConfig { BootstrapServers = kafka.BootstrapServers, GroupId = "bench-raw-defaults" }, samples);
        Console.WriteLine($"(a) raw Confluent.Kafka consumer, librdkafka defaults: {defaults}");
        var raws = Enumerable.Range(1, 3).Select(i => RawConsume(KafkaSinkHost.ConsumerSettings(options with { ConsumerGroup = $"bench-raw-{i}" }), samples))
            .OrderBy(m => m.Rate).ToList();
        var raw = raws[1].Rate;
        Console.WriteLine($"    raw Confluent.Kafka consumer, the sink's settings (median of 3): {raws[1]}; the ratios below divide by this");
        await using (var folder = await LakeStore.FolderAsync())
        {
            var sink = await SinkRateAsync(options with { ConsumerGroup = "bench-folder" }, folder.Store, samples, cancellationToken);
            Console.WriteLine($"(b) sink -> folder: {sink}, ratio {sink.Rate / raw:0.00} (target >= 0.5); peak buffered {sink.PeakBuffered / 1048576.0:0.0} MiB of {options.MaxBufferedBytes / 1048576.0:0} MiB");
        }
        await using (var s3 = await LakeStore.S3rverAsync())
        {
            var sink = await SinkRateAsync(options with { ConsumerGroup = "bench-s3" }, s3.Store, samples, cancellationToken);
            Console.WriteLine($"    sink -> s3rver: {sink}, ratio {sink.Rate / raw:0.00}; peak buffered {sink.PeakBuffered / 1048576.0:0.0} MiB");
        }
        await using (var remote = await LakeStore.FolderAsync())
        {
            // A distant store: every request waits a round trip, as S3 or Blob does over a network.
            var distant = new DistantStore(remote.Store, TimeSpan.FromMilliseconds(30));
            var sink = await SinkRateAsync(options with { ConsumerGroup = "bench-distant" }, distant, samples, cancellationToken);
            Console.WriteLine($"    sink -> folder + 30 ms a request: {sink}");
        }
        Console.WriteLine($"    process peak RSS so far: {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:0} MiB");

        await LatencyAsync(TimeSpan.FromSeconds(latencySeconds), cancellationToken);
        return 0;
    }

    private static void Produce(string bootstrapServers, int count)
    {
        var generator = new SampleGenerator(SampleModelFigures.Uci, new Random(3));
        var batches = Enumerable.Range(1, 200).Select(b => generator.DrawBatch($"wh-01-batch-{b:D3}")).ToList();
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers, LingerMs = 20, CompressionType = CompressionType.Lz4, EnableIdempotence = true,
        }).Build();
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < count; i++)
        {
            var batch = batches[i % batches.Count];
            var sample = WineSample.Create($"bench-{i:D8}", batch.BatchId, "wh-01", "wh-01-dev-1", now, batch.Colour, generator.DrawSample(batch), batch.Class);
            while (true)
            {
                try
                {
                    producer.Produce(new TopicPartition(Topic, i % Partitions), new Message<string, byte[]> { Key = batch.BatchId, Value = SampleJson.Serialize(sample) });
                    break;
                }
                catch (ProduceException<string, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(50));
                }
            }
        }
        producer.Flush(TimeSpan.FromMinutes(2));
    }

    private sealed record Measured(double Rate, Usage Used, int Count, long PeakBuffered = 0)
    {
        public override string ToString() =>
            $"{Rate:N0} records/s, CPU {Used.Cpu.TotalMicroseconds / Count:0.0} µs a record, GC paused {Used.GcPause.TotalMilliseconds:N0} ms ({Used.Gen1} gen1, {Used.Gen2} gen2 collections)";
    }

    /// <summary>The process's CPU time and garbage collection over a measurement.</summary>
    private sealed record Usage(TimeSpan Cpu, TimeSpan GcPause, int Gen1, int Gen2)
    {
        public static Usage Now() => new(Process.GetCurrentProcess().TotalProcessorTime, GC.GetTotalPauseDuration(), GC.CollectionCount(1), GC.CollectionCount(2));

        public Usage Since()
        {
            var now = Now();
            return new(now.Cpu - Cpu, now.GcPause - GcPause, now.Gen1 - Gen1, now.Gen2 - Gen2);
        }
    }

    private static Measured RawConsume(ConsumerConfig config, int count)
    {
        config.AutoOffsetReset = AutoOffsetReset.Earliest;
        config.EnableAutoCommit = false;
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(config).Build();
        consumer.Subscribe(Topic);
        var read = 0;
        Stopwatch? clock = null;
        Usage? start = null;
        while (read < count)
        {
            if (consumer.Consume(TimeSpan.FromSeconds(5)) is { IsPartitionEOF: false })
            {
                if (clock is null)
                {
                    // From the first record: group join is not reading.
                    clock = Stopwatch.StartNew();
                    start = Usage.Now();
                }
                read++;
            }
        }
        var measured = new Measured(count / clock!.Elapsed.TotalSeconds, start!.Since(), count);
        consumer.Close();
        return measured;
    }

    private static async Task<Measured> SinkRateAsync(SinkOptions options, IObjectStore store, int count, CancellationToken cancellationToken)
    {
        using var metrics = new SinkMetrics();
        var host = new KafkaSinkHost(options, store, TimeProvider.System, NullLogger<KafkaSinkHost>.Instance, metrics);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = host.RunAsync(stop.Token);
        while (metrics.Counts.BufferedRecords == 0 && metrics.Counts.Samples == 0)
        {
            await Task.Delay(1, cancellationToken);
        }
        var clock = Stopwatch.StartNew(); // from the first record, as for the raw consumer
        var start = Usage.Now();
        while (metrics.Counts.Samples < count)
        {
            await Task.Delay(10, cancellationToken);
        }
        var measured = new Measured(count / clock.Elapsed.TotalSeconds, start.Since(), count, metrics.Counts.PeakBufferedBytes);
        await stop.CancelAsync();
        await running;
        return measured;
    }

    /// <summary>Devices publish at a steady pace through mosquitto, the bridge and the sink (flush interval 5 s) into the folder lake.</summary>
    private static async Task LatencyAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        var flushInterval = TimeSpan.FromSeconds(5);
        await using var mosquitto = await MosquittoServer.StartAsync();
        using var kafka = KafkaMockCluster.Start(3);
        kafka.CreateTopic(Topic, 6, 3);
        kafka.CreateTopic("wine.samples.dlq", 1, 3);
        await using var lake = await LakeStore.FolderAsync();
        var buffer = Directory.CreateTempSubdirectory("wine-bench-latency-");
        using var bridgeMetrics = new BridgeMetrics();
        var bridge = new SampleBridge(new BridgeOptions
        {
            Mqtt = new MqttSettings { Port = mosquitto.Port, ClientId = "bench-latency-bridge" },
            Kafka = new KafkaSettings { BootstrapServers = kafka.BootstrapServers },
            Buffer = new BufferSettings { Directory = buffer.FullName },
        }, TimeProvider.System, NullLogger<SampleBridge>.Instance, bridgeMetrics);
        using var sinkMetrics = new SinkMetrics();
        var sink = new KafkaSinkHost(new SinkOptions { BootstrapServers = kafka.BootstrapServers, Topic = Topic, FlushInterval = flushInterval },
            lake.Store, TimeProvider.System, NullLogger<KafkaSinkHost>.Instance, sinkMetrics);
        var stored = new ConcurrentDictionary<string, long>();
        sink.RunStored += result =>
        {
            var at = Stopwatch.GetTimestamp();
            foreach (var id in result.SampleIds)
            {
                stored.TryAdd(id, at);
            }
        };
        using var stop = new CancellationTokenSource();
        var bridging = bridge.RunAsync(stop.Token);
        var sinking = sink.RunAsync(stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);

        // Publish as a device would, noting when each sample left.
        var published = new Dictionary<string, long>();
        using (var device = new MQTTnet.MqttClientFactory().CreateMqttClient())
        {
            await device.ConnectAsync(new MQTTnet.MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", mosquitto.Port)
                .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).WithClientId("bench-device").Build(), cancellationToken);
            var generator = new SampleGenerator(SampleModelFigures.Uci, new Random(5));
            var batch = generator.DrawBatch("wh-01-batch-001");
            var clock = Stopwatch.StartNew();
            for (var i = 0; clock.Elapsed < duration; i++)
            {
                var sample = WineSample.Create($"latency-{i:D7}", $"wh-01-batch-{i % 50:D3}", "wh-01", "wh-01-dev-1", DateTimeOffset.UtcNow,
                    batch.Colour, generator.DrawSample(batch), batch.Class);
                published[sample.SampleId] = Stopwatch.GetTimestamp();
                await device.PublishAsync(new MQTTnet.MqttApplicationMessageBuilder().WithTopic(WarehouseTopics.Samples("wh-01"))
                    .WithPayload(SampleJson.Serialize(sample)).WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);
                await Task.Delay(5, cancellationToken); // about 150 samples/s
            }
        }
        var deadline = Stopwatch.StartNew();
        while (stored.Count < published.Count && deadline.Elapsed < flushInterval * 4)
        {
            await Task.Delay(100, cancellationToken);
        }
        await stop.CancelAsync();
        await bridging;
        await sinking;
        buffer.Delete(recursive: true);

        var latencies = published.Where(p => stored.ContainsKey(p.Key))
            .Select(p => Stopwatch.GetElapsedTime(p.Value, stored[p.Key]).TotalSeconds).Order().ToList();
        double Percentile(double q) => latencies[(int)Math.Min(latencies.Count - 1, Math.Ceiling(q * latencies.Count) - 1)];
        Console.WriteLine($"(c) publish -> stored object, flush interval {flushInterval.TotalSeconds:0} s: {latencies.Count:N0} of {published.Count:N0} samples; " +
                          $"p50 {Percentile(0.50):0.00} s, p99 {Percentile(0.99):0.00} s, max {latencies[^1]:0.00} s (target p99 <= {flushInterval.TotalSeconds + 2:0} s)");
    }
}

/// <summary>An object store that answers every request a round trip later.</summary>
internal sealed class DistantStore(IObjectStore inner, TimeSpan roundTrip) : IObjectStore
{
    public string Location => inner.Location;

    public async Task PutAsync(string key, ReadOnlyMemory<byte> content, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        await Task.Delay(roundTrip, cancellationToken);
        await inner.PutAsync(key, content, metadata, cancellationToken);
    }

    public async Task<bool> CreateAsync(string key, ReadOnlyMemory<byte> content, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        await Task.Delay(roundTrip, cancellationToken);
        return await inner.CreateAsync(key, content, metadata, cancellationToken);
    }

    public async Task<StoredObject?> GetAsync(string key, CancellationToken cancellationToken)
    {
        await Task.Delay(roundTrip, cancellationToken);
        return await inner.GetAsync(key, cancellationToken);
    }

    public async IAsyncEnumerable<ObjectEntry> ListAsync(string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Delay(roundTrip, cancellationToken);
        await foreach (var entry in inner.ListAsync(prefix, cancellationToken))
        {
            yield return entry;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        await Task.Delay(roundTrip, cancellationToken);
        await inner.DeleteAsync(key, cancellationToken);
    }
}
