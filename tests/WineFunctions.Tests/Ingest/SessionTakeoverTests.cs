using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Formatter;
using WineFunctions.Mqtt;
using WineFunctions.Samples;
using WineFunctions.Tests.Infrastructure;
using WineFunctions.Tests.Samples;

namespace WineFunctions.Tests.Ingest;

/// <summary>
/// A client id belongs to its login: a device that connects with the bridge's client id must not
/// get the bridge's persistent session, and with it the samples queued for the bridge.
/// </summary>
[Collection(Collections.Librdkafka)]
public sealed class SessionTakeoverTests
{
    private const int Samples = 40;

    [Fact]
    public async Task On_mosquitto_with_the_generated_config_a_device_using_the_bridges_client_id_gets_no_session_and_the_bridge_loses_nothing()
    {
        var accounts = BridgeTests.Accounts(1, 2);
        await using var mosquitto = await BridgeTests.StartMosquittoWithAclAsync(accounts);
        await AssertNoTakeoverAsync(mosquitto.Port, accounts, refused: false);
    }

    [Fact]
    public async Task The_embedded_broker_refuses_a_client_id_that_is_not_the_logins_own_and_the_bridge_loses_nothing()
    {
        var accounts = BridgeTests.Accounts(1, 2);
        await using var broker = await EmbeddedMqttBroker.StartAsync(0, accounts, NullLogger.Instance, CancellationToken.None);
        await AssertNoTakeoverAsync(broker.Port, accounts, refused: true);
    }

    private static async Task AssertNoTakeoverAsync(int port, List<MqttAccount> accounts, bool refused)
    {
        var bridge = accounts[^1];
        var (sender, impostor) = (accounts[0], accounts[1]);
        await using var harness = BridgeHarness.Create();
        var options = harness.Options(port, bridge.Username, bridge.Password);
        harness.Start(options);
        await harness.WaitUntilConnectedAsync();
        await harness.StopBridgeAsync(); // away: its session now holds what the devices send

        await using (var device = await MqttPublisher.ConnectAsync(port, sender.Username, sender.Username, sender.Password))
        {
            for (var i = 0; i < Samples / 2; i++)
            {
                Assert.True((await device.PublishAsync(WarehouseTopics.Samples("wh-01"), Sample(i))).IsSuccess);
            }
            using var client = new MqttClientFactory().CreateMqttClient();
            var received = 0;
            client.ApplicationMessageReceivedAsync += _ => { Interlocked.Increment(ref received); return Task.CompletedTask; };
            var result = await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithProtocolVersion(MqttProtocolVersion.V500)
                .WithClientId(options.Mqtt.ClientId).WithCredentials(impostor.Username, impostor.Password).WithCleanStart(false).WithSessionExpiryInterval(3600).Build());
            if (refused)
            {
                Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, result.ResultCode);
            }
            else
            {
                Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
                Assert.False(result.IsSessionPresent, "a device was handed the bridge's session");
            }
            for (var i = Samples / 2; i < Samples; i++)
            {
                Assert.True((await device.PublishAsync(WarehouseTopics.Samples("wh-01"), Sample(i))).IsSuccess);
            }
            await Task.Delay(500); // time enough for a taken-over session to deliver
            Assert.Equal(0, received);
            if (client.IsConnected)
            {
                await client.DisconnectAsync();
            }
        }

        harness.Start(options);
        var records = KafkaTopic.Read(harness.Kafka.BootstrapServers, BridgeHarness.Topic,
            r => r.Select(x => BridgeTests.Sample(x).SampleId).Distinct().Count() >= Samples, TimeSpan.FromSeconds(60));
        Assert.Equal(Samples, records.Select(r => BridgeTests.Sample(r).SampleId).Distinct().Count());
    }

    private static byte[] Sample(int i) =>
        SampleJson.Serialize(SampleContractTests.Valid() with { SampleId = $"takeover-{i}", WarehouseId = "wh-01", TakenAt = DateTimeOffset.UtcNow });
}
