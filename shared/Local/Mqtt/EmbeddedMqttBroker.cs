using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace WineFunctions.Mqtt;

/// <summary>
/// The local stack's MQTT broker (MQTTnet.Server) on loopback: every client logs in with its
/// own account, devices may publish only to their warehouse's topic, and persistent sessions
/// keep QoS 1 messages for subscribers that are briefly away (in memory only).
/// </summary>
public sealed class EmbeddedMqttBroker : IAsyncDisposable
{
    private readonly MqttServer _server;
    private readonly IReadOnlyDictionary<string, MqttAccount> _accounts;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, long> _acceptedByWarehouse = new();
    private long _refused;

    private EmbeddedMqttBroker(MqttServer server, int port, IEnumerable<MqttAccount> accounts, ILogger logger)
    {
        _server = server;
        Port = port;
        _accounts = accounts.ToDictionary(a => a.Username);
        _logger = logger;
        server.ValidatingConnectionAsync += ValidateConnection;
        server.InterceptingPublishAsync += AuthorisePublish;
        server.InterceptingSubscriptionAsync += AuthoriseSubscription;
    }

    public int Port { get; }

    /// <summary>Sample messages the broker accepted, by warehouse.</summary>
    public IReadOnlyDictionary<string, long> AcceptedByWarehouse => _acceptedByWarehouse;

    /// <summary>Publishes refused by the access rules.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <param name="port">0 picks a free port.</param>
    public static async Task<EmbeddedMqttBroker> StartAsync(int port, IEnumerable<MqttAccount> accounts, ILogger logger, CancellationToken cancellationToken)
    {
        if (port == 0)
        {
            port = FreeLoopbackPort();
        }
        var factory = new MqttServerFactory();
        var options = factory.CreateServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithDefaultEndpointPort(port)
            .WithPersistentSessions()
            .WithMaxPendingMessagesPerClient(BrokerLimits.MaxQueuedMessages) // mosquitto bounds the same queue in bytes
            .Build();
        var broker = new EmbeddedMqttBroker(factory.CreateMqttServer(options), port, accounts, logger);
        cancellationToken.ThrowIfCancellationRequested();
        await broker._server.StartAsync();
        logger.LogInformation("Embedded MQTT broker listening on 127.0.0.1:{Port}", port);
        return broker;
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private Task ValidateConnection(ValidatingConnectionEventArgs e)
    {
        if (!_accounts.TryGetValue(e.UserName ?? "", out var account) || account.Password != e.Password)
        {
            _logger.LogWarning("Refused MQTT login {Username} from client {ClientId}", e.UserName, e.ClientId);
            e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
        }
        else if (e.ClientId != account.Username)
        {
            // A client id is its login's own: another login with it would take over that session and the messages queued in it.
            _logger.LogWarning("Refused MQTT login {Username} with the client id {ClientId} of another", e.UserName, e.ClientId);
            e.ReasonCode = MqttConnectReasonCode.ClientIdentifierNotValid;
        }
        return Task.CompletedTask;
    }

    // The user of the current connection is authoritative: session items survive a resumed session.
    private Task AuthorisePublish(InterceptingPublishEventArgs e)
    {
        var topic = e.ApplicationMessage.Topic;
        var bytes = e.ApplicationMessage.Payload.Length + topic.Length;
        if (bytes > BrokerLimits.MaxPacketBytes)
        {
            // The same bound as mosquitto's max_packet_size: a sample fits in it, a flood does not.
            Interlocked.Increment(ref _refused);
            _logger.LogWarning("Refused a publish of {Bytes} bytes by {Username}", bytes, e.UserName);
            e.ProcessPublish = false;
            e.Response.ReasonCode = MqttPubAckReasonCode.QuotaExceeded;
            e.Response.ReasonString = $"packet larger than {BrokerLimits.MaxPacketBytes} bytes";
            return Task.CompletedTask;
        }
        if (_accounts.TryGetValue(e.UserName ?? "", out var account) && account.MayPublish(topic))
        {
            _acceptedByWarehouse.AddOrUpdate(WarehouseTopics.WarehouseOf(topic)!, 1, (_, n) => n + 1);
            return Task.CompletedTask;
        }
        Interlocked.Increment(ref _refused);
        _logger.LogWarning("Refused publish by {Username} to {Topic}", e.UserName, topic);
        e.ProcessPublish = false;
        e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
        e.Response.ReasonString = $"{e.UserName} may not publish to {topic}";
        return Task.CompletedTask;
    }

    private Task AuthoriseSubscription(InterceptingSubscriptionEventArgs e)
    {
        if (!_accounts.TryGetValue(e.UserName ?? "", out var account) || !account.MaySubscribe(e.TopicFilter.Topic))
        {
            e.ProcessSubscription = false;
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
        }
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync();
        _server.Dispose();
    }
}
