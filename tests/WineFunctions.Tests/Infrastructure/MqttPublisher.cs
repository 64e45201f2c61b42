using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace WineFunctions.Tests.Infrastructure;

/// <summary>A plain MQTT 5 client that publishes raw bytes with QoS 1, as a device (or an attacker) would.</summary>
internal sealed class MqttPublisher : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();

    public static async Task<MqttPublisher> ConnectAsync(int port, string clientId, string? username = null, string? password = null)
    {
        var publisher = new MqttPublisher();
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithProtocolVersion(MqttProtocolVersion.V500).WithClientId(clientId);
        if (username is not null)
        {
            options = options.WithCredentials(username, password);
        }
        var result = await publisher._client.ConnectAsync(options.Build());
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        return publisher;
    }

    public Task<MqttClientPublishResult> PublishAsync(string topic, byte[] payload) =>
        _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptions());
        }
        _client.Dispose();
    }
}
