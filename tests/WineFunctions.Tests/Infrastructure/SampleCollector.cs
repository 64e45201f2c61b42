using System.Collections.Concurrent;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using WineFunctions.Mqtt;
using WineFunctions.Samples;

namespace WineFunctions.Tests.Infrastructure;

/// <summary>An MQTT subscriber that records every sample delivered on the warehouses' topics.</summary>
public sealed class SampleCollector : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly ConcurrentQueue<WineSample> _received = new();

    private readonly ConcurrentQueue<string> _invalid = new();

    public IReadOnlyCollection<WineSample> Received => _received;

    /// <summary>Payloads on the samples topics that were not valid samples, with their reasons.</summary>
    public IReadOnlyCollection<string> Invalid => _invalid;

    public static async Task<SampleCollector> StartAsync(int port, string? username = null, string? password = null)
    {
        var collector = new SampleCollector();
        collector._client.ApplicationMessageReceivedAsync += e =>
        {
            var result = SampleValidator.Validate(System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload), DateTimeOffset.UtcNow);
            if (result.IsValid)
            {
                collector._received.Enqueue(result.Sample!);
            }
            else
            {
                collector._invalid.Enqueue(string.Join("; ", result.Rejections));
            }
            return Task.CompletedTask;
        };
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(username ?? "test-collector") // brokers bind a client id to its login
            .WithCleanStart(false)
            .WithSessionExpiryInterval(600);
        if (username is not null)
        {
            options = options.WithCredentials(username, password);
        }
        var connected = await collector._client.ConnectAsync(options.Build());
        Assert.Equal(MqttClientConnectResultCode.Success, connected.ResultCode);
        await collector._client.SubscribeAsync(WarehouseTopics.AllSamples, MqttQualityOfServiceLevel.AtLeastOnce);
        return collector;
    }

    /// <summary>Waits until <paramref name="done"/> holds for what was received, or fails after the timeout.</summary>
    public async Task WaitForAsync(Func<IReadOnlyCollection<WineSample>, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!done(_received))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"condition not met within {timeout}; received {_received.Count} samples");
            }
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisconnectAsync(new MqttClientDisconnectOptions());
        _client.Dispose();
    }
}
