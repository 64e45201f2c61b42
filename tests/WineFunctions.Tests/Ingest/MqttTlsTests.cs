using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Protocol;
using WineFunctions.Mqtt;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Ingest;

/// <summary>
/// The product's MQTT clients against a TLS broker, as warehouses reach a broker in the cloud:
/// MQTTnet layers TLS on <see cref="KernelTunedSocket"/>'s stream, whose writes go out together.
/// </summary>
public sealed class MqttTlsTests
{
    [Fact]
    public async Task A_burst_of_samples_crosses_a_TLS_broker_whole()
    {
        await using var mosquitto = await MosquittoServer.StartAsync(async folder =>
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
            await File.WriteAllTextAsync(Path.Combine(folder, "broker.crt"), certificate.ExportCertificatePem());
            await File.WriteAllTextAsync(Path.Combine(folder, "broker.key"), key.ExportPkcs8PrivateKeyPem());
            return $"allow_anonymous true\ncertfile {folder}/broker.crt\nkeyfile {folder}/broker.key";
        });
        MqttClientOptions Options(string clientId, bool useTls = true) =>
            PersistentSession.Options("127.0.0.1", mosquitto.Port, clientId, 60, null, null, useTls, allowUntrustedCertificates: true).Build();
        using (var plain = new MqttClientFactory().CreateMqttClient())
        {
            // The listener speaks only TLS: a client without it is refused, so the rest went over TLS.
            await Assert.ThrowsAnyAsync<MQTTnet.Exceptions.MqttCommunicationException>(() => plain.ConnectAsync(Options("plain", useTls: false)));
        }

        const int samples = 1_000;
        var received = new ConcurrentDictionary<string, byte>();
        using var subscriber = new MqttClientFactory().CreateMqttClient();
        subscriber.ApplicationMessageReceivedAsync += e =>
        {
            received.TryAdd(e.ApplicationMessage.ConvertPayloadToString(), 0);
            return Task.CompletedTask;
        };
        await subscriber.ConnectAsync(Options("tls-bridge"));
        await subscriber.SubscribeAsync(WarehouseTopics.Samples("wh-01"), MqttQualityOfServiceLevel.AtLeastOnce);

        using var device = new MqttClientFactory().CreateMqttClient();
        await device.ConnectAsync(Options("wh-01-dev-1"));
        var results = await Task.WhenAll(Enumerable.Range(0, samples).Select(i => device.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(WarehouseTopics.Samples("wh-01")).WithPayload($"sample-{i}").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build())));
        Assert.All(results, r => Assert.True(r.IsSuccess, r.ReasonString));

        await SinkHarness.WaitForAsync(() => Task.FromResult(received.Count == samples), TimeSpan.FromSeconds(30), "every sample at the subscriber");
        await device.DisconnectAsync(new MqttClientDisconnectOptions());
        await subscriber.DisconnectAsync(new MqttClientDisconnectOptions());
    }
}
