using MQTTnet;
using MQTTnet.Formatter;

namespace WineFunctions.Mqtt;

/// <summary>
/// MQTT 5 options every client of the product shares: a fixed client id with a persistent session
/// (CleanStart false), so QoS 1 messages survive a reconnect, plus login and TLS when given, over a
/// socket whose buffers the kernel tunes (<see cref="KernelTunedSocket"/>). A caller that replaces the
/// TCP options (the simulated devices, to reset on a lost connection) gets MQTTnet's own socket instead.
/// </summary>
public static class PersistentSession
{
    public static MqttClientOptionsBuilder Options(string host, int port, string clientId, uint sessionExpirySeconds,
        string? username, string? password, bool useTls, bool allowUntrustedCertificates)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithStreamProvider(KernelTunedSocket.Instance)
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
