using System.Diagnostics;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using WineFunctions.Kafka;
using WineFunctions.Mqtt;
using WineFunctions.Samples;
using WineFunctions.Simulation;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Benchmarks;

/// <summary>
/// (a) how fast a plain MQTTnet QoS 1 subscriber receives from mosquitto, (b) how fast the bridge
/// (functions/ingest, its own process) moves the same load from MQTT publish to Kafka delivery,
/// their ratio and the bridge's CPU time per sample, and (c) the bridge's resident memory through a
/// steady soak. Each round measures (a) and then (b) right after it, so a ratio compares rates
/// taken minutes apart at most: on a shared machine the raw rate alone drifts by a third.
/// With tracing, each round also runs a traced bridge, first or second by turns.
/// </summary>
internal static class BridgeBenchmark
{
    private const int Publishers = 6;
    private const int WindowPerPublisher = 200;

    /// <summary>Unacknowledged messages the broker may send either subscriber, the same for both.</summary>
    private static readonly ushort ReceiveMaximum = ushort.Parse(Environment.GetEnvironmentVariable("BENCH_RECEIVE_MAXIMUM") ?? "1000");

    private sealed record BridgeRun(bool Traced, double Rate, double Ratio, double CpuMicrosecondsPerSample);

    public static async Task<int> RunAsync(int messages, int warmUpMessages, int soakSeconds, int rounds, bool tracing, CancellationToken cancellationToken)
    {
        var payloads = Payloads(messages);
        await using var mosquitto = await MosquittoServer.StartAsync("allow_anonymous true\nmax_inflight_messages 0\nmax_queued_messages 0");
        Console.WriteLine($"mosquitto on {mosquitto.Port}; {messages} samples of {payloads.Average(p => p.Payload.Length):0} bytes after {warmUpMessages} to warm up, {Publishers} publishers, {rounds} rounds");
        var warmUp = Payloads(warmUpMessages);
        using var kafka = KafkaMockCluster.Start(3);
        kafka.CreateTopic("wine.samples", 6, 3);
        kafka.CreateTopic("wine.samples.dlq", 1, 3);
        await using var collector = tracing ? await OtlpCollector.StartAsync() : null;

        var runs = new List<BridgeRun>();
        for (var round = 1; round <= rounds; round++)
        {
            var (raw, rawCpu) = await RawSubscriberRateAsync(mosquitto, warmUp, payloads, cancellationToken);
            Console.WriteLine($"round {round}: (a) raw MQTTnet QoS 1 subscriber: {raw:N0} msg/s; {rawCpu.PerSample(payloads.Count)}");
            bool[] configurations = !tracing ? [false] : round % 2 == 1 ? [false, true] : [true, false];
            foreach (var traced in configurations)
            {
                await using var bridge = await BenchBridge.StartAsync(mosquitto.Port, kafka.BootstrapServers, traced ? collector!.Url : null, $"bench-bridge-{round}-{traced}", ReceiveMaximum, cancellationToken);
                await RateAsync(mosquitto.Port, warmUp, () => bridge.Forwarded, cancellationToken); // JIT and connections warm, not timed
                var cpuBefore = CpuUse.Read(mosquitto.ProcessId, bridge);
                var rate = await RateAsync(mosquitto.Port, payloads, () => bridge.Forwarded, cancellationToken);
                var cpu = CpuUse.Read(mosquitto.ProcessId, bridge) - cpuBefore;
                var run = new BridgeRun(traced, rate, rate / raw, cpu.Bridge.TotalMicroseconds / payloads.Count);
                runs.Add(run);
                Console.WriteLine($"round {round}: (b) bridge{(traced ? ", every sample traced" : "")}, MQTT publish -> Kafka confirmed delivery: {rate:N0} msg/s, ratio {run.Ratio:0.00}; {cpu.PerSample(payloads.Count)}");
            }
        }
        foreach (var group in runs.GroupBy(r => r.Traced))
        {
            Console.WriteLine($"{(group.Key ? "traced" : "untraced")} bridge / raw: median {Median(group.Select(r => r.Ratio)):0.00} (target >= 0.80) of {string.Join(", ", group.Select(r => r.Ratio.ToString("0.00")).Order())}; bridge CPU median {Median(group.Select(r => r.CpuMicrosecondsPerSample)):0.0} µs/sample");
        }
        if (collector is not null)
        {
            Console.WriteLine($"{collector.Exports.Count(e => e.Path == "/v1/traces")} trace exports received");
        }
        if (soakSeconds > 0)
        {
            var soakRate = Median(runs.Where(r => r.Traced == tracing).Select(r => r.Rate)) * 0.5;
            await using var bridge = await BenchBridge.StartAsync(mosquitto.Port, kafka.BootstrapServers, collector?.Url, "bench-bridge-soak", ReceiveMaximum, cancellationToken);
            await SoakAsync(mosquitto.Port, bridge, soakRate, TimeSpan.FromSeconds(soakSeconds), cancellationToken);
        }
        return 0;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static List<(string Topic, byte[] Payload)> Payloads(int count)
    {
        var generator = new SampleGenerator(SampleModelFigures.Uci, new Random(1));
        var batches = Enumerable.Range(1, 60).Select(b => generator.DrawBatch($"wh-{b % 3 + 1:D2}-batch-{b:D3}")).ToList();
        var now = DateTimeOffset.UtcNow;
        return Enumerable.Range(0, count).Select(i =>
        {
            var batch = batches[i % batches.Count];
            var warehouse = batch.BatchId[..5];
            var sample = WineSample.Create($"bench-{i:D8}", batch.BatchId, warehouse, $"{warehouse}-dev-1", now, batch.Colour, generator.DrawSample(batch), batch.Class);
            return (WarehouseTopics.Samples(warehouse), SampleJson.Serialize(sample));
        }).ToList();
    }

    private static async Task<(double Rate, CpuUse Cpu)> RawSubscriberRateAsync(ServerProcess mosquitto, List<(string Topic, byte[] Payload)> warmUp, List<(string Topic, byte[] Payload)> payloads, CancellationToken cancellationToken)
    {
        var port = mosquitto.Port;
        long received = 0;
        using var subscriber = new MqttClientFactory().CreateMqttClient();
        subscriber.ApplicationMessageReceivedAsync += _ =>
        {
            Interlocked.Increment(ref received);
            return Task.CompletedTask;
        };
        // The bridge's kind of socket, so the ratio compares the work done, not the TCP windows.
        await subscriber.ConnectAsync(Options(port, "bench-raw").WithStreamProvider(KernelTunedSocket.Instance).WithCleanStart(false).WithSessionExpiryInterval(600)
            .WithReceiveMaximum(ReceiveMaximum).Build(), cancellationToken);
        await subscriber.SubscribeAsync(WarehouseTopics.AllSamples, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken);
        await RateAsync(port, warmUp, () => Interlocked.Read(ref received), cancellationToken);
        var cpuBefore = CpuUse.Read(mosquitto.ProcessId, bridge: null);
        var rate = await RateAsync(port, payloads, () => Interlocked.Read(ref received), cancellationToken);
        var cpu = CpuUse.Read(mosquitto.ProcessId, bridge: null) - cpuBefore;
        await subscriber.DisconnectAsync(new MqttClientDisconnectOptions { SessionExpiryInterval = 0 }, cancellationToken);
        return (rate, cpu);
    }

    /// <summary>Publishes everything from several clients and times it until <paramref name="arrived"/> has counted it all.</summary>
    private static async Task<double> RateAsync(int port, List<(string Topic, byte[] Payload)> payloads, Func<long> arrived, CancellationToken cancellationToken)
    {
        var before = arrived();
        var clock = Stopwatch.StartNew();
        await PublishAsync(port, payloads, perSecond: null, cancellationToken);
        while (arrived() - before < payloads.Count)
        {
            await Task.Delay(1, cancellationToken);
        }
        return payloads.Count / clock.Elapsed.TotalSeconds;
    }

    private static async Task PublishAsync(int port, List<(string Topic, byte[] Payload)> payloads, double? perSecond, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Publishers).Select(async p =>
        {
            using var client = new MqttClientFactory().CreateMqttClient();
            await client.ConnectAsync(Options(port, $"bench-publisher-{p}-{Guid.NewGuid():N}").Build(), cancellationToken);
            using var window = new SemaphoreSlim(WindowPerPublisher);
            var pending = new List<Task>();
            for (var i = p; i < payloads.Count; i += Publishers)
            {
                if (perSecond is { } rate && i / rate > clock.Elapsed.TotalSeconds)
                {
                    await Task.Delay(TimeSpan.FromSeconds(i / rate) - clock.Elapsed, cancellationToken);
                }
                await window.WaitAsync(cancellationToken);
                var (topic, payload) = payloads[i];
                pending.Add(client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken)
                    .ContinueWith(_ => window.Release(), TaskScheduler.Default));
            }
            await Task.WhenAll(pending);
            await client.DisconnectAsync(new MqttClientDisconnectOptions(), cancellationToken);
        }));
    }

    private static async Task SoakAsync(int port, BenchBridge bridge, double rate, TimeSpan duration, CancellationToken cancellationToken)
    {
        var payloads = Payloads((int)(rate * duration.TotalSeconds));
        var before = bridge.Forwarded;
        var publishing = PublishAsync(port, payloads, rate, cancellationToken);
        var samples = new List<(double Seconds, long RssKiB)>();
        var clock = Stopwatch.StartNew();
        while (!publishing.IsCompleted)
        {
            samples.Add((clock.Elapsed.TotalSeconds, bridge.ResidentKiB));
            await Task.WhenAny(publishing, Task.Delay(1000, cancellationToken));
        }
        await publishing;
        while (bridge.Forwarded - before < payloads.Count && clock.Elapsed < duration + TimeSpan.FromSeconds(60))
        {
            await Task.Delay(100, cancellationToken);
        }
        var firstHalf = samples.Where(s => s.Seconds > 5 && s.Seconds <= duration.TotalSeconds / 2).Select(s => s.RssKiB).DefaultIfEmpty().Max();
        var secondHalf = samples.Where(s => s.Seconds > duration.TotalSeconds / 2).Select(s => s.RssKiB).DefaultIfEmpty().Max();
        Console.WriteLine($"(c) soak: {payloads.Count:N0} samples at {rate:N0}/s for {duration.TotalSeconds:0} s, {bridge.Forwarded - before:N0} delivered to Kafka");
        Console.WriteLine($"    bridge RSS (MiB): start {samples.First().RssKiB / 1024.0:0.0}, max of first half (after 5 s) {firstHalf / 1024.0:0.0}, max of second half {secondHalf / 1024.0:0.0}, overall max {samples.Max(s => s.RssKiB) / 1024.0:0.0}");
        Console.WriteLine($"    per 10 s: {string.Join(" ", samples.Where((_, i) => i % 10 == 0).Select(s => $"{s.RssKiB / 1024.0:0}"))}");
    }

    internal static MqttClientOptionsBuilder Options(int port, string clientId) => new MqttClientOptionsBuilder()
        .WithTcpServer("127.0.0.1", port).WithProtocolVersion(MqttProtocolVersion.V500).WithClientId(clientId);
}
