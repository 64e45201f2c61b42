using Microsoft.Extensions.Logging;
using WineFunctions.Ingest;
using WineFunctions.Kafka;
using WineFunctions.Mqtt;
using WineFunctions.Simulation;

namespace WineFunctions.Stack;

/// <summary>A moment in the stack's run, for progress output.</summary>
public sealed record StackProgress(TimeSpan Elapsed, SimulatorSnapshot? Simulator, IReadOnlyDictionary<string, long> BrokerAcceptedByWarehouse, long BrokerRefused, BridgeStatus? Bridge);

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

        using var kafka = KafkaMockCluster.Start(options.KafkaBrokers);
        kafka.CreateTopic(options.SamplesTopic, options.SamplesPartitions, Math.Min(3, options.KafkaBrokers));
        kafka.CreateTopic(options.DeadLetterTopic, 1, Math.Min(3, options.KafkaBrokers));

        var deviceAccounts = Enumerable.Range(1, options.Warehouses)
            .SelectMany(w => Enumerable.Range(1, options.DevicesPerWarehouse).Select(d =>
                MqttAccount.Device(DeviceIdentity.WarehouseIdOf(w), DeviceIdentity.DeviceIdOf(DeviceIdentity.WarehouseIdOf(w), d))))
            .ToList();
        List<MqttAccount> accounts = [.. deviceAccounts, MqttAccount.Bridge("wine-bridge")];
        await using var broker = await EmbeddedMqttBroker.StartAsync(options.MqttPort ?? PreferredPort(1883), accounts, loggers.CreateLogger<EmbeddedMqttBroker>(), cancellationToken);

        var endpoints = new StackEndpoints("127.0.0.1", broker.Port, kafka.BootstrapServers, options.SamplesTopic, options.DeadLetterTopic,
            Path.GetFullPath(options.LakeDirectory), accounts);
        if (options.EndpointsFile is { } file)
        {
            await endpoints.WriteAsync(file, cancellationToken);
        }
        started(endpoints);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (options.Duration is { } duration)
        {
            stop.CancelAfter(duration);
        }

        using var metrics = new BridgeMetrics();
        var bridge = new SampleBridge(new BridgeOptions
        {
            Mqtt = new MqttSettings { Host = endpoints.MqttHost, Port = endpoints.MqttPort, ClientId = "wine-bridge", Username = "wine-bridge", Password = accounts[^1].Password },
            Kafka = new KafkaSettings { BootstrapServers = kafka.BootstrapServers, Topic = options.SamplesTopic, DeadLetterTopic = options.DeadLetterTopic },
            Buffer = new BufferSettings { Directory = options.BridgeBufferDirectory },
        }, time, loggers.CreateLogger<SampleBridge>(), metrics);
        using var stopBridge = new CancellationTokenSource();
        var bridging = bridge.RunAsync(stopBridge.Token);

        DeviceSimulator? simulator = null;
        StackProgress Snapshot() => new(time.GetElapsedTime(startedAt), simulator?.Stats.Snapshot(), broker.AcceptedByWarehouse.ToDictionary(), broker.Refused, bridge.Status);
        using var reporting = time.CreateTimer(_ => progress(Snapshot()), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(250));

        if (options.RunSimulator)
        {
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
            // Ctrl-C or the duration stops scanning and sending at once; what is still queued is reported.
            await simulator.RunAsync(stop.Token, stop.Token);
            await UntilBridgedAsync(broker, bridge, stop.Token);
        }
        else
        {
            await WaitAsync(stop.Token);
        }

        await stopBridge.CancelAsync();
        await bridging;
        var summary = Snapshot();
        progress(summary);
        _logger.LogInformation("Local stack stopped after {Elapsed}", summary.Elapsed);
        return summary;
    }

    /// <summary>Waits until the bridge has put every message the broker accepted into Kafka.</summary>
    private static async Task UntilBridgedAsync(EmbeddedMqttBroker broker, SampleBridge bridge, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var counts = bridge.Status.Counts;
            if (counts.Forwarded + counts.DeadLettered >= broker.AcceptedByWarehouse.Values.Sum())
            {
                return;
            }
            await Task.Delay(50, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private static int PreferredPort(int port)
    {
        try
        {
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            return port;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return 0; // taken, e.g. by a mosquitto service: any free port will do, the endpoints file tells
        }
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
