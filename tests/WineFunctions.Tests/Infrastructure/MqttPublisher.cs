using MQTTnet;
using MQTTnet.Exceptions;
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

    /// <summary>
    /// Connects, publishes and disconnects, again while the session is taken over: the broker binds a client id to its login,
    /// so under the login of a device `wine up` simulates, that device takes the session back when it reconnects. A real
    /// device sends again too; at least once is the protocol's promise.
    /// </summary>
    public static async Task PublishAtLeastOnceAsync(int port, string username, string password, string topic, byte[] payload)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var publisher = await ConnectAsync(port, username, username, password);
                var result = await publisher.PublishAsync(topic, payload);
                Assert.True(result.IsSuccess, $"the broker refused the sample: {result.ReasonCode} {result.ReasonString}");
                return;
            }
            catch (MqttCommunicationException) when (attempt < 10)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt));
            }
        }
    }

    /// <param name="traceParent">A W3C trace context to send as the <c>traceparent</c> user property, as a traced device does.</param>
    public Task<MqttClientPublishResult> PublishAsync(string topic, byte[] payload, string? traceParent = null)
    {
        var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (traceParent is not null)
        {
            message.WithUserProperty("traceparent", System.Text.Encoding.UTF8.GetBytes(traceParent).AsMemory());
        }
        return _client.PublishAsync(message.Build());
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptions());
        }
        _client.Dispose();
    }
}
