using System.Diagnostics;
using System.Net.Http.Json;
using WineFunctions.Ingest;
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
/// their ratio, and (c) the bridge's resident memory through a steady soak.
/// </summary>
internal static class BridgeBenchmark
{
    private const int Publishers = 6;
    private const int WindowPerPublisher = 200;

    /// <summary>Unacknowledged messages the broker may send either subscriber, the same for both.</summary>
    private static readonly ushort ReceiveMaximum = ushort.Parse(Environment.GetEnvironmentVariable("BENCH_RECEIVE_MAXIMUM") ?? "1000");

    public static async Task<int> RunAsync(int messages, int soakSeconds, bool tracing, CancellationToken cancellationToken)
    {
        var payloads = Payloads(messages);
        await using var mosquitto = await MosquittoServer.StartAsync("allow_anonymous true\nmax_inflight_messages 0\nmax_queued_messages 0");
        Console.WriteLine($"mosquitto on {mosquitto.Port}; {messages} samples of {payloads.Average(p => p.Payload.Length):0} bytes, {Publishers} publishers");

        var warmUp = Payloads(Math.Max(messages / 10, 1_000));
        var raw = await RawSubscriberRateAsync(mosquitto.Port, warmUp, payloads, cancellationToken);
        Console.WriteLine($"(a) raw MQTTnet QoS 1 subscriber: {raw:N0} msg/s");

        using var kafka = KafkaMockCluster.Start(3);
        kafka.CreateTopic("wine.samples", 6, 3);
        kafka.CreateTopic("wine.samples.dlq", 1, 3);
        var buffer = Directory.CreateTempSubdirectory("wine-bench-buffer-");
        var healthPort = EmbeddedMqttBroker.FreeLoopbackPort();
        await using var collector = tracing ? await OtlpCollector.StartAsync() : null;
        using var bridge = StartBridge(mosquitto.Port, kafka.BootstrapServers, buffer.FullName, healthPort, collector?.Url);
        using var counter = new ForwardedCounter(healthPort);
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken); // the bridge connects and subscribes
        await RateAsync(mosquitto.Port, warmUp, () => counter.Count, cancellationToken); // JIT and connections warm, not timed
        var bridged = await RateAsync(mosquitto.Port, payloads, () => counter.Count, cancellationToken);
        Console.WriteLine($"(b) bridge, MQTT publish -> Kafka confirmed delivery: {bridged:N0} msg/s");
        Console.WriteLine($"ratio bridge / raw: {bridged / raw:0.00} (target >= 0.80){(collector is null ? "" : $"; tracing on, {collector.Exports.Count(e => e.Path == "/v1/traces")} trace exports received")}");

        await SoakAsync(mosquitto.Port, bridge, counter, rate: bridged * 0.5, TimeSpan.FromSeconds(soakSeconds), cancellationToken);
        bridge.Kill();
        bridge.WaitForExit();
        buffer.Delete(recursive: true);
        return 0;
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

    private static async Task<double> RawSubscriberRateAsync(int port, List<(string Topic, byte[] Payload)> warmUp, List<(string Topic, byte[] Payload)> payloads, CancellationToken cancellationToken)
    {
        long received = 0;
        using var subscriber = new MqttClientFactory().CreateMqttClient();
        subscriber.ApplicationMessageReceivedAsync += _ =>
        {
            Interlocked.Increment(ref received);
            return Task.CompletedTask;
        };
        await subscriber.ConnectAsync(Options(port, "bench-raw").WithCleanStart(false).WithSessionExpiryInterval(600).WithReceiveMaximum(ReceiveMaximum).Build(), cancellationToken);
        await subscriber.SubscribeAsync(WarehouseTopics.AllSamples, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken);
        await RateAsync(port, warmUp, () => Interlocked.Read(ref received), cancellationToken);
        var rate = await RateAsync(port, payloads, () => Interlocked.Read(ref received), cancellationToken);
        await subscriber.DisconnectAsync(new MqttClientDisconnectOptions { SessionExpiryInterval = 0 }, cancellationToken);
        return rate;
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

    private static async Task SoakAsync(int port, Process bridge, ForwardedCounter counter, double rate, TimeSpan duration, CancellationToken cancellationToken)
    {
        var payloads = Payloads((int)(rate * duration.TotalSeconds));
        var before = counter.Count;
        var publishing = PublishAsync(port, payloads, rate, cancellationToken);
        var samples = new List<(double Seconds, long RssKiB)>();
        var clock = Stopwatch.StartNew();
        while (!publishing.IsCompleted)
        {
            samples.Add((clock.Elapsed.TotalSeconds, ResidentKiB(bridge.Id)));
            await Task.WhenAny(publishing, Task.Delay(1000, cancellationToken));
        }
        await publishing;
        while (counter.Count - before < payloads.Count && clock.Elapsed < duration + TimeSpan.FromSeconds(60))
        {
            await Task.Delay(100, cancellationToken);
        }
        var firstHalf = samples.Where(s => s.Seconds > 5 && s.Seconds <= duration.TotalSeconds / 2).Select(s => s.RssKiB).DefaultIfEmpty().Max();
        var secondHalf = samples.Where(s => s.Seconds > duration.TotalSeconds / 2).Select(s => s.RssKiB).DefaultIfEmpty().Max();
        Console.WriteLine($"(c) soak: {payloads.Count:N0} samples at {rate:N0}/s for {duration.TotalSeconds:0} s, {counter.Count - before:N0} delivered to Kafka");
        Console.WriteLine($"    bridge RSS (MiB): start {samples.First().RssKiB / 1024.0:0.0}, max of first half (after 5 s) {firstHalf / 1024.0:0.0}, max of second half {secondHalf / 1024.0:0.0}, overall max {samples.Max(s => s.RssKiB) / 1024.0:0.0}");
        Console.WriteLine($"    per 10 s: {string.Join(" ", samples.Where((_, i) => i % 10 == 0).Select(s => $"{s.RssKiB / 1024.0:0}"))}");
    }

    private static long ResidentKiB(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
    }

    private static Process StartBridge(int mqttPort, string bootstrapServers, string bufferDirectory, int healthPort, string? collector)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "WineFunctions.Ingest.dll")])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
        };
        start.Environment["ASPNETCORE_HTTP_PORTS"] = healthPort.ToString();
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Bridge__Mqtt__Port"] = mqttPort.ToString();
        start.Environment["Bridge__Mqtt__ClientId"] = "bench-bridge";
        start.Environment["Bridge__Mqtt__ReceiveMaximum"] = ReceiveMaximum.ToString();
        if (collector is not null)
        {
            start.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector;
            start.Environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
            foreach (var name in new[] { "OTEL_TRACES_SAMPLER", "OTEL_TRACES_SAMPLER_ARG" })
            {
                if (Environment.GetEnvironmentVariable(name) is { } value)
                {
                    start.Environment[name] = value; // e.g. parentbased_traceidratio and 0.1
                }
            }
        }
        if (Environment.GetEnvironmentVariable("BENCH_COMPRESSION") is { } compression)
        {
            start.Environment["Bridge__Kafka__Settings__compression.type"] = compression;
        }
        start.Environment["Bridge__Kafka__BootstrapServers"] = bootstrapServers;
        start.Environment["Bridge__Buffer__Directory"] = bufferDirectory;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) Console.Error.WriteLine("bridge: " + line); };
        process.BeginOutputReadLine();
        return process;
    }

    private static MqttClientOptionsBuilder Options(int port, string clientId) => new MqttClientOptionsBuilder()
        .WithTcpServer("127.0.0.1", port).WithProtocolVersion(MqttProtocolVersion.V500).WithClientId(clientId);

    /// <summary>The bridge's own count of samples Kafka confirmed, read from its health endpoint.</summary>
    private sealed class ForwardedCounter : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private long _count;

        public ForwardedCounter(int healthPort)
        {
            _loop = Task.Run(async () =>
            {
                using var http = new HttpClient();
                while (!_stop.IsCancellationRequested)
                {
                    try
                    {
                        var status = await http.GetFromJsonAsync<BridgeStatus>($"http://127.0.0.1:{healthPort}/health", _stop.Token);
                        Interlocked.Exchange(ref _count, status!.Counts.Forwarded);
                    }
                    catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
                    {
                    }
                    await Task.Delay(20, _stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
            });
        }

        public long Count => Interlocked.Read(ref _count);

        public void Dispose()
        {
            _stop.Cancel();
            _loop.Wait();
        }
    }
}
