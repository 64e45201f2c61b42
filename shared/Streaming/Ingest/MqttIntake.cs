using System.Buffers;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Packets;
using WineFunctions.Mqtt;
using WineFunctions.Telemetry;

namespace WineFunctions.Ingest;

/// <summary>One MQTT message the bridge holds and has not yet acknowledged.</summary>
internal sealed class IncomingMessage(string topic, byte[] payload, bool redelivered, MqttApplicationMessageReceivedEventArgs delivery, string? traceParent)
{
    public string Topic => topic;
    public byte[] Payload => payload;
    public bool Redelivered => redelivered;

    /// <summary>The device's W3C trace context (MQTT 5 user property), if it sent one.</summary>
    public string? TraceParent => traceParent;

    /// <summary>Sends the PUBACK; if the connection it came on is gone, the broker will deliver it again.</summary>
    public async Task AcknowledgeAsync(ILogger logger)
    {
        try
        {
            await delivery.AcknowledgeAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogDebug("PUBACK for a message on {Topic} not sent ({Message}); the broker will redeliver it", topic, e.Message);
        }
    }
}

/// <summary>
/// The bridge's MQTT side: a persistent session under a fixed client id, QoS 1 subscriptions,
/// and manual acknowledgement, so the broker keeps every message until the bridge has put it
/// in Kafka or on disk. Reconnects with back-off for as long as the bridge runs.
/// </summary>
internal sealed class MqttIntake(MqttSettings settings, ChannelWriter<IncomingMessage> intake, ILogger logger) : IAsyncDisposable
{
    private IMqttClient? _client, _subscribed;

    /// <summary>Connected and subscribed: from here on the broker keeps every sample for the bridge.</summary>
    public bool Connected => _client is { IsConnected: true } client && client == _subscribed;

    public async Task RunAsync(CancellationToken stopping)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        while (!stopping.IsCancellationRequested)
        {
            if (Connected)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }
            try
            {
                await ConnectAsync(stopping);
                backoff = TimeSpan.FromMilliseconds(100);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return; // stopped while connecting (a SIGTERM during start-up): an orderly stop, not a failure
            }
            catch (Exception e)
            {
                logger.LogWarning("MQTT broker {Host}:{Port} not reachable: {Message}; retrying in {Backoff}", settings.Host, settings.Port, e.Message, backoff);
                await Task.Delay(backoff, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }

    private async Task ConnectAsync(CancellationToken stopping)
    {
        _client?.Dispose();
        var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += async e =>
        {
            e.AutoAcknowledge = false;
            var message = e.ApplicationMessage;
            // A full intake stops this handler, and with it the broker's deliveries: back-pressure, not loss.
            await intake.WriteAsync(new IncomingMessage(message.Topic, message.Payload.ToArray(), message.Dup, e,
                message.UserProperties?.FirstOrDefault(p => p.Name == WineTelemetry.TraceParent)?.ReadValueAsString()), stopping);
        };
        _client = client;
        var result = await client.ConnectAsync(Options(), stopping);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"the broker refused the connection: {result.ResultCode} {result.ReasonString}");
        }
        var subscribe = new MqttClientSubscribeOptionsBuilder();
        foreach (var topic in settings.SubscribedTopics)
        {
            subscribe = subscribe.WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce);
        }
        var granted = await client.SubscribeAsync(subscribe.Build(), stopping);
        foreach (var item in granted.Items.Where(i => i.ResultCode != MqttClientSubscribeResultCode.GrantedQoS1))
        {
            logger.LogError("Subscription to {Topic} not granted: {ResultCode}", item.TopicFilter.Topic, item.ResultCode);
        }
        _subscribed = client;
        logger.LogInformation("Bridge connected to MQTT {Host}:{Port} as {ClientId} (session resumed: {Resumed})",
            settings.Host, settings.Port, settings.SessionClientId, result.IsSessionPresent);
    }

    private MqttClientOptions Options() =>
        PersistentSession.Options(settings.Host, settings.Port, settings.SessionClientId, settings.SessionExpirySeconds,
                settings.Username, settings.Password, settings.UseTls, settings.AllowUntrustedCertificates)
            .WithReceiveMaximum(settings.ReceiveMaximum)
            .Build();

    public async ValueTask DisposeAsync()
    {
        if (_client is { IsConnected: true })
        {
            try
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptions());
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or MQTTnet.Exceptions.MqttCommunicationException)
            {
                logger.LogDebug("MQTT disconnect: {Message}", e.Message);
            }
        }
        _client?.Dispose();
    }
}
