using Microsoft.Extensions.Logging.Abstractions;
using WineFunctions.Ingest;
using WineFunctions.Kafka;

namespace WineFunctions.Tests.Infrastructure;

/// <summary>A Kafka mock cluster with the bridge's topics, and the bridge running in-process against a broker.</summary>
internal sealed class BridgeHarness : IAsyncDisposable
{
    public const string Topic = "wine.samples";
    public const string DeadLetters = "wine.samples.dlq";
    private CancellationTokenSource _stop = new();
    private Task? _running;

    private BridgeHarness(KafkaMockCluster kafka, DirectoryInfo bufferDirectory)
    {
        Kafka = kafka;
        BufferDirectory = bufferDirectory;
    }

    public KafkaMockCluster Kafka { get; }
    public DirectoryInfo BufferDirectory { get; }
    public SampleBridge? Bridge { get; private set; }
    public BridgeMetrics Metrics { get; } = new();

    /// <summary>The bridge's run, which ends when it stops.</summary>
    public Task? Running => _running;

    public static BridgeHarness Create()
    {
        var kafka = KafkaMockCluster.Start(3);
        kafka.CreateTopic(Topic, 6, 3);
        kafka.CreateTopic(DeadLetters, 1, 3);
        return new BridgeHarness(kafka, Directory.CreateTempSubdirectory("wine-bridge-buffer-"));
    }

    public BridgeOptions Options(int mqttPort, string? username = null, string? password = null, int bufferAfterSeconds = 10, long bufferBytes = 64L << 20) => new()
    {
        Mqtt = new MqttSettings { Host = "127.0.0.1", Port = mqttPort, ClientId = username ?? "test-bridge", Username = username, Password = password },
        Kafka = new KafkaSettings { BootstrapServers = Kafka.BootstrapServers, Topic = Topic, DeadLetterTopic = DeadLetters, BufferAfterSeconds = bufferAfterSeconds },
        Buffer = new BufferSettings { Directory = BufferDirectory.FullName, MaxBytes = bufferBytes, SegmentBytes = Math.Min(bufferBytes, 1L << 20) },
    };

    /// <summary>Starts the bridge; after <see cref="StopBridgeAsync"/> it starts again, as a restarted container does.</summary>
    public void Start(BridgeOptions options)
    {
        if (_stop.IsCancellationRequested)
        {
            _stop.Dispose();
            _stop = new CancellationTokenSource();
        }
        Bridge = new SampleBridge(options, TimeProvider.System, NullLogger<SampleBridge>.Instance, Metrics);
        _running = Task.Run(() => Bridge.RunAsync(_stop.Token));
    }

    public async Task WaitUntilConnectedAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (Bridge?.Status.MqttConnected != true)
        {
            Assert.True(DateTime.UtcNow < deadline, "the bridge did not connect to MQTT within 20 s");
            if (_running is { IsFaulted: true })
            {
                await _running;
            }
            await Task.Delay(50);
        }
    }

    public async Task StopBridgeAsync()
    {
        await _stop.CancelAsync();
        if (_running is not null)
        {
            await _running;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopBridgeAsync();
        Metrics.Dispose();
        Kafka.Dispose();
        BufferDirectory.Delete(recursive: true);
    }
}
