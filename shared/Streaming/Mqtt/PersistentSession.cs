using MQTTnet;
using MQTTnet.Formatter;

namespace WineFunctions.Mqtt;

/// <summary>
/// MQTT 5 options every client of the product shares: a fixed client id with a persistent session
/// (CleanStart false), so QoS 1 messages survive a reconnect, plus login and TLS when given.
/// </summary>
public static class PersistentSession
{
    /// <summary>
    /// A subscriber's socket buffers: room for a receive maximum's worth of samples in flight.
    /// MQTTnet fixes both at 8 KiB unless told, which pins the TCP window there: one window per round
    /// trip over a warehouse's network, and on loopback the bridge was caught crawling at about 100
    /// samples a second behind delayed ACKs. The kernel caps it at net.core.rmem_max / wmem_max.
    /// </summary>
    public const int SubscriberBufferBytes = 4 << 20;

    /// <summary>The options with <see cref="SubscriberBufferBytes"/> socket buffers.</summary>
    public static MqttClientOptions ForSubscriber(MqttClientOptions options)
    {
        ((MqttClientTcpOptions)options.ChannelOptions).BufferSize = SubscriberBufferBytes;
        return options;
    }

    public static MqttClientOptionsBuilder Options(string host, int port, string clientId, uint sessionExpirySeconds,
        string? username, string? password, bool useTls, bool allowUntrustedCertificates)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId)
            .WithCleanStart(false)
            .WithSessionExpiryInterval(sessionExpirySeconds)
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (username is not null)
        {
            builder = builder.WithCredentials(username, password);
        }
        if (useTls)
        {
            builder = builder.WithTlsOptions(tls =>
            {
                tls.UseTls();
                if (allowUntrustedCertificates)
                {
                    tls.WithCertificateValidationHandler(_ => true); // development brokers with self-signed certificates only
                }
            });
        }
        return builder;
    }
}
