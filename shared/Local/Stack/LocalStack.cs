using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WineFunctions.Hosting;
using WineFunctions.Ingest;
using WineFunctions.Kafka;
using WineFunctions.Lake;
using WineFunctions.Sink;
using WineFunctions.Mqtt;
using WineFunctions.Simulation;

namespace WineFunctions.Stack;

/// <summary>A moment in the stack's run, for progress output.</summary>
public sealed record StackProgress(TimeSpan Elapsed, SimulatorSnapshot? Simulator, IReadOnlyDictionary<string, long> BrokerAcceptedByWarehouse, long BrokerRefused, BridgeStatus? Bridge, SinkCounts? Sink,
    LakeFunctionsProgress? Functions = null);

/// <summary>
/// The whole product on one machine: an embedded MQTT broker with per-device logins, a Kafka
/// mock cluster, a lake folder, and the warehouse simulator. The same shared code the cloud
/// functions run plugs in here; only the endpoints differ.
/// </summary>
public sealed class LocalStack(LocalStackOptions options, TimeProvider time, ILoggerFactory loggers)
{
    private readonly ILogger _logger = loggers.CreateLogger<LocalStack>();

    /// <summary>Runs until the requested samples are delivered, the duration ends, or <paramref name="cancellationToken"/> fires.</summary>
    public async Task<StackProgress> RunAsync(Action<StackEndpoints> started, Action<StackProgress> progress, CancellationToken cancellationToken)
    {
        var startedAt = time.GetTimestamp();
        Directory.CreateDirectory(options.LakeDirectory);
        // Start-up runs to its end whatever is asked meanwhile (a few seconds): a stop during it then
        // takes the same orderly path as a stop mid-run, instead of unwinding half-started stages.
        var starting = CancellationToken.None;

        var lake = new FolderObjectStore(options.LakeDirectory);
        var samplesTopic = await FreshTopicAsync(lake, options.SamplesTopic, LakeLayout.SinkState, starting);
        var deadLetterTopic = await FreshTopicAsync(lake, options.DeadLetterTopic, LakeLayout.BridgeDeadLetters, starting);
        using var kafka = KafkaMockCluster.Start(options.KafkaBrokers);
        kafka.CreateTopic(samplesTopic, options.SamplesPartitions, Math.Min(3, options.KafkaBrokers));
        kafka.CreateTopic(deadLetterTopic, 1, Math.Min(3, options.KafkaBrokers));

        var deviceAccounts = Enumerable.Range(1, options.Warehouses)
            .SelectMany(w => Enumerable.Range(1, options.DevicesPerWarehouse).Select(d =>
                MqttAccount.Device(DeviceIdentity.WarehouseIdOf(w), DeviceIdentity.DeviceIdOf(DeviceIdentity.WarehouseIdOf(w), d))))
            .ToList();
        List<MqttAccount> accounts = [.. deviceAccounts, MqttAccount.Bridge("wine-bridge")];
        await using var broker = await EmbeddedMqttBroker.StartAsync(options.MqttPort ?? LocalPorts.Preferred(1883), accounts, loggers.CreateLogger<EmbeddedMqttBroker>(), starting);

        var (ratingsServer, ratingsApi) = await RatingsStack.StartAsync(options, options.Zones.Open(lake, "ratings", time, loggers, options.EnforcedGrants), loggers, starting);
        await using var ratings = ratingsServer;
        var endpoints = new StackEndpoints("127.0.0.1", broker.Port, kafka.BootstrapServers, samplesTopic, deadLetterTopic,
            Path.GetFullPath(options.LakeDirectory), accounts, ratingsApi);
        if (options.EndpointsFile is { } file)
        {
            await endpoints.WriteAsync(file, starting);
        }
        started(endpoints);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (options.Duration is { } duration)
        {
            stop.CancelAfter(duration);
        }

        await using var bridgeServices = ProcessServices.Build(time, loggers, services => services.AddBridge(new BridgeOptions
        {
            Mqtt = new MqttSettings { Host = endpoints.MqttHost, Port = endpoints.MqttPort, ClientId = "wine-bridge", Username = "wine-bridge", Password = accounts[^1].Password },
            Kafka = new KafkaSettings { BootstrapServers = kafka.BootstrapServers, Topic = samplesTopic, DeadLetterTopic = deadLetterTopic },
            Buffer = new BufferSettings { Directory = options.BridgeBufferDirectory },
        }));
        var bridge = bridgeServices.GetRequiredService<SampleBridge>();
        using var stopBridge = new CancellationTokenSource();
        var bridging = bridge.RunAsync(stopBridge.Token);

        await using var sinkServices = ProcessServices.Build(time, loggers, services => services
            .AddSingleton(options.Zones.Open(lake, "sink", time, loggers, options.EnforcedGrants))
            .AddKafkaSink(new SinkOptions
            {
                BootstrapServers = kafka.BootstrapServers, Topic = samplesTopic, DeadLetterTopic = deadLetterTopic, FlushInterval = TimeSpan.FromSeconds(10),
            }));
        var sink = sinkServices.GetRequiredService<KafkaSinkHost>();
        var deadLetters = sinkServices.GetRequiredService<KafkaDeadLetterHost>();
        var sinkMetrics = sinkServices.GetRequiredService<SinkMetrics>();
        using var stopSink = new CancellationTokenSource();
        var sinking = sink.RunAsync(stopSink.Token);
        var keeping = deadLetters.RunAsync(stopSink.Token);

        using var functions = new LakeFunctions(options.Zones.Open(lake, "predict", time, loggers, options.EnforcedGrants),
            options.Zones.Open(lake, "train", time, loggers, options.EnforcedGrants), time, loggers);
        sink.RunStored += run => functions.Stored(run.Objects);
        using var stopFunctions = new CancellationTokenSource();
        var reacting = functions.RunAsync(stopFunctions.Token);

        DeviceSimulator? simulator = null;
        StackProgress Snapshot() => new(time.GetElapsedTime(startedAt), simulator?.Stats.Snapshot(), broker.AcceptedByWarehouse.ToDictionary(),
            broker.Refused, bridge.Status, sinkMetrics.Counts, functions.Progress);
        using var reporting = time.CreateTimer(_ => progress(Snapshot()), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(250));

        if (options.RunSimulator)
        {
            // Devices start once the bridge is subscribed: until then the broker would keep their samples for nobody.
            await UntilAsync(() => bridge.Status.MqttConnected, stop.Token);
            simulator = new DeviceSimulator(new SimulatorOptions
            {
                Host = endpoints.MqttHost,
                Port = endpoints.MqttPort,
                Devices = deviceAccounts.Select(a => new DeviceIdentity(a.WarehouseId!, a.Username, a.Username, a.Password)).ToList(),
                SamplesPerSecond = options.SamplesPerSecond,
                Samples = options.Samples,
                ConnectionLossProbability = options.ConnectionLossProbability,
                Seed = options.Seed,
            }, time, loggers.CreateLogger<DeviceSimulator>());
            // A few kilobytes, written whole even when a stop is under way (the stop then ends the run as usual).
            await DistributorSeed.PlantAsync(lake, simulator.Batches.Values.SelectMany(b => b), options.Seed, CancellationToken.None);
            // Ctrl-C or the duration stops scanning and sending at once; what is still queued is reported.
            await simulator.RunAsync(stop.Token, stop.Token);
            // Every message the broker accepted is in Kafka (or dead-lettered) before the bridge stops.
            await HandOverAsync("the bridge (every sample the broker accepted in Kafka)",
                () => bridge.Status.Counts is var counts && counts.Forwarded + counts.DeadLettered >= broker.AcceptedByWarehouse.Values.Sum());
        }
        else
        {
            await WaitAsync(stop.Token);
        }

        // Upstream first, so that each stage has handed on everything before the next one stops.
        await stopBridge.CancelAsync();
        await bridging;
        // The sink holds (buffered or stored) as many records as the bridge forwarded before it stops.
        var forwarded = bridge.Status.Counts.Forwarded;
        await HandOverAsync("the sink (every forwarded sample stored or buffered)",
            () => sinkMetrics.Counts is var counts && counts.Samples + counts.Duplicates + counts.DeadLetters + counts.BufferedRecords >= forwarded);
        var deadLettered = bridge.Status.Counts.DeadLettered;
        await HandOverAsync("the dead-letter archive (every bridge dead letter in the lake)", () => deadLetters.Kept >= deadLettered);
        await stopSink.CancelAsync(); // a clean stop writes every buffered sample into the lake
        await Task.WhenAll(sinking, keeping);
        functions.Complete();
        await using (cancellationToken.Register(stopFunctions.Cancel))
        {
            await reacting;
        }
        var summary = Snapshot();
        progress(summary);
        _logger.LogInformation("Local stack stopped after {Elapsed}", summary.Elapsed);
        return summary;
    }

    /// <summary>
    /// Waits until a stage has handed on everything it accepted. Ctrl-C and SIGTERM do not cut this
    /// short (a stop is orderly, and nothing accepted may be left behind); a stage that stays stuck
    /// for two minutes is given up on, saying which, and a second signal ends the process at once.
    /// </summary>
    private async Task HandOverAsync(string stage, Func<bool> done)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await UntilAsync(done, limit.Token);
        if (!done())
        {
            _logger.LogWarning("Stopping with {Stage} not handed over after two minutes", stage);
        }
    }

    /// <summary>Checks <paramref name="done"/> every 50 ms until it holds or the stack is stopped.</summary>
    private static async Task UntilAsync(Func<bool> done, CancellationToken cancellationToken)
    {
        while (!done() && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(50, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>
    /// The embedded Kafka cluster is new each run and its offsets start again at 0, while lake
    /// objects are named by topic, partition and offset. So that a second run on the same lake
    /// adds objects instead of replacing the first run's, a run whose topic name the lake already
    /// holds records of (under <paramref name="prefix"/>) takes the next free generation:
    /// wine.samples, wine.samples.2, …
    /// </summary>
    private static async Task<string> FreshTopicAsync(IObjectStore lake, string topic, string prefix, CancellationToken cancellationToken)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var entry in lake.ListAsync(prefix, cancellationToken))
        {
            // Keys there are {topic}+{partition}+{offset}.json or .jsonl.
            var name = entry.Key[prefix.Length..];
            var partitionMark = name.LastIndexOf('+', Math.Max(0, name.LastIndexOf('+') - 1));
            if (partitionMark > 0)
            {
                used.Add(name[..partitionMark]);
            }
        }
        var generation = 1;
        var candidate = topic;
        while (used.Contains(candidate))
        {
            candidate = $"{topic}.{++generation}";
        }
        return candidate;
    }

    private static async Task WaitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
