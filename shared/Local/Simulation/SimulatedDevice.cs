using System.Diagnostics;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;
using WineFunctions.Mqtt;
using WineFunctions.Samples;
using WineFunctions.Telemetry;

namespace WineFunctions.Simulation;

/// <summary>
/// One hand-held scanner: the worker scans casks at the configured pace, the device keeps
/// unsent samples in a bounded queue and publishes them with QoS 1, removing a sample only when
/// the broker has acknowledged it. A lost connection means a resend after reconnecting, so the
/// broker may see a sample twice but never loses one; duplicates share their sampleId. Each sample's
/// trace starts at its scan: one send span, from scan to acknowledgement, whose context every publish
/// of it carries as an MQTT 5 user property, so a resend stays in the same trace.
/// </summary>
internal sealed class SimulatedDevice
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly DeviceIdentity _identity;
    private readonly SimulatorOptions _options;
    private readonly IReadOnlyList<BatchProfile> _batches;
    private readonly SampleGenerator _generator;
    private readonly Random _random;
    private readonly SampleBudget _budget;
    private readonly SimulatorStats _stats;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<QueuedSample> _queue;
    private readonly TimeSpan _scanInterval;
    private IMqttClient? _client;

    public SimulatedDevice(DeviceIdentity identity, SimulatorOptions options, IReadOnlyList<BatchProfile> batches, int seed,
        SampleBudget budget, SimulatorStats stats, TimeProvider time, ILogger logger)
    {
        _identity = identity;
        _options = options;
        _batches = batches;
        _random = new Random(seed);
        _generator = new SampleGenerator(SampleModelFigures.Uci, _random);
        _budget = budget;
        _stats = stats;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<QueuedSample>(new BoundedChannelOptions(options.DeviceQueueCapacity) { SingleReader = true, SingleWriter = true });
        _scanInterval = TimeSpan.FromSeconds(options.Devices.Count / options.SamplesPerSecond);
    }

    /// <summary>Scans until the budget is spent or the run is cancelled, then sends what is queued.</summary>
    public async Task RunAsync(CancellationToken stopScanning, CancellationToken stopSending)
    {
        var sending = SendAsync(stopSending);
        await ScanAsync(stopScanning);
        try
        {
            await sending;
        }
        finally
        {
            await DisconnectAsync();
        }
    }

    private async Task ScanAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                // Half to one and a half intervals: workers do not scan like clockwork.
                await Task.Delay(_scanInterval * (0.5 + _random.NextDouble()), _time, cancellationToken);
                if (!_budget.TryTake())
                {
                    break;
                }
                var batch = _batches[_random.Next(_batches.Count)];
                var now = _time.GetUtcNow();
                var sample = WineSample.Create(Guid.CreateVersion7(now).ToString("N"), batch.BatchId, _identity.WarehouseId,
                    _identity.DeviceId, now, batch.Colour, _generator.DrawSample(batch), batch.Class);
                var send = StartSend(sample);
                if (_queue.Writer.TryWrite(new QueuedSample(sample, send)))
                {
                    _stats.Scanned();
                }
                else
                {
                    // Full queue: the worker is told to scan again later; nothing taken is dropped.
                    send?.SetStatus(ActivityStatusCode.Error, "the device's queue is full").Stop();
                    _budget.Return();
                    _stats.RefusedScan();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _queue.Writer.TryComplete();
        }
    }

    private async Task SendAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SendQueuedAsync(cancellationToken);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped mid-connect or mid-publish (MQTTnet may say "timed out"): what is unacknowledged stays queued and is reported.
        }
    }

    private async Task SendQueuedAsync(CancellationToken cancellationToken)
    {
        var topic = WarehouseTopics.Samples(_identity.WarehouseId);
        while (await _queue.Reader.WaitToReadAsync(cancellationToken))
        {
            while (_queue.Reader.TryPeek(out var queued))
            {
                var (sample, send) = queued;
                var client = await ConnectedClientAsync(cancellationToken);
                var builder = new MqttApplicationMessageBuilder()
                    .WithTopic(topic)
                    .WithPayload(SampleJson.Serialize(sample))
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .WithContentType("application/json");
                if (WineTelemetry.TraceParentOf(send) is { } traceParent)
                {
                    builder.WithUserProperty(WineTelemetry.TraceParent, System.Text.Encoding.UTF8.GetBytes(traceParent).AsMemory());
                }
                var message = builder.Build();
                try
                {
                    var publishing = client.PublishAsync(message, cancellationToken);
                    if (_random.NextDouble() < _options.ConnectionLossProbability)
                    {
                        // The network drops while the publish is in flight: the broker may or may not have it.
                        LoseConnection();
                    }
                    var result = await publishing;
                    _queue.Reader.TryRead(out _);
                    if (result.IsSuccess)
                    {
                        _stats.Delivered(sample);
                        send?.Stop();
                    }
                    else
                    {
                        send?.SetStatus(ActivityStatusCode.Error, result.ReasonString ?? result.ReasonCode.ToString()).Stop();
                        // A refusal is final (wrong topic or account); retrying cannot make it right.
                        _stats.RejectedByBroker();
                        _logger.LogError("Broker refused sample {SampleId} from {DeviceId}: {Reason} {ReasonString}",
                            sample.SampleId, _identity.DeviceId, result.ReasonCode, result.ReasonString);
                    }
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    _logger.LogDebug(e, "Publish of {SampleId} from {DeviceId} failed; resending after reconnect", sample.SampleId, _identity.DeviceId);
                    _stats.Resend();
                    LoseConnection();
                }
            }
        }
    }

    /// <summary>The sample's send span (MQTT publish, OpenTelemetry's messaging conventions), started at the scan and left current for nobody.</summary>
    private Activity? StartSend(WineSample sample)
    {
        var previous = Activity.Current;
        var topic = WarehouseTopics.Samples(_identity.WarehouseId);
        var send = WineTelemetry.Devices.StartActivity($"send {topic}", ActivityKind.Producer, parentContext: default, tags:
        [
            new("messaging.system", "mqtt"), new("messaging.operation.type", "send"), new("messaging.destination.name", topic),
            new("messaging.client.id", _identity.DeviceId), new("wine.sample.id", sample.SampleId), new("wine.batch.id", sample.BatchId),
            new("wine.warehouse.id", sample.WarehouseId),
        ]);
        Activity.Current = previous; // it ends when the broker acknowledges, on the sending loop
        return send;
    }

    private sealed record QueuedSample(WineSample Sample, Activity? Send);

    private async Task<IMqttClient> ConnectedClientAsync(CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(50);
        while (_client is not { IsConnected: true })
        {
            _client?.Dispose();
            _client = new MqttClientFactory().CreateMqttClient();
            try
            {
                var result = await _client.ConnectAsync(ClientOptions(), cancellationToken);
                if (result.ResultCode is MqttClientConnectResultCode.BadUserNameOrPassword or MqttClientConnectResultCode.NotAuthorized)
                {
                    throw new SimulatorException($"the broker refused the login of device {_identity.DeviceId} ({result.ResultCode})");
                }
                if (result.ResultCode == MqttClientConnectResultCode.Success)
                {
                    break;
                }
                _logger.LogWarning("Device {DeviceId} could not connect: {ResultCode}", _identity.DeviceId, result.ResultCode);
            }
            catch (Exception e) when (e is not SimulatorException && !cancellationToken.IsCancellationRequested)
            {
                _logger.LogDebug("Device {DeviceId} could not reach the broker: {Message}", _identity.DeviceId, e.Message);
            }
            await Task.Delay(backoff * (0.5 + _random.NextDouble()), _time, cancellationToken);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
        return _client;
    }

    private MqttClientOptions ClientOptions() =>
        PersistentSession.Options(_options.Host, _options.Port, _identity.DeviceId, 3600,
                _identity.Username, _identity.Password, _options.UseTls, _options.AllowUntrustedCertificates)
            // Closing with linger 0 resets the socket: to the broker it looks like a dead network, not a goodbye.
            .WithTcpServer(o => o.LingerState = new LingerOption(true, 0))
            .Build();

    private void LoseConnection()
    {
        if (_client is null)
        {
            return;
        }
        // Dispose without DISCONNECT: the broker sees the connection die.
        _client.Dispose();
        _client = null;
        _stats.ConnectionLost();
    }

    private async Task DisconnectAsync()
    {
        if (_client is { IsConnected: true })
        {
            try
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptions());
            }
            catch (Exception e)
            {
                _logger.LogDebug("Device {DeviceId} disconnect: {Message}", _identity.DeviceId, e.Message);
            }
        }
        _client?.Dispose();
        _client = null;
    }
}

/// <summary>A problem that stops the whole simulation, such as a refused login.</summary>
public sealed class SimulatorException(string message) : Exception(message);
