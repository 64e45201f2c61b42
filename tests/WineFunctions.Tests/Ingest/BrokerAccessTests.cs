using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using WineFunctions.Mqtt;
using WineFunctions.Samples;
using WineFunctions.Tests.Infrastructure;
using WineFunctions.Tests.Samples;

namespace WineFunctions.Tests.Ingest;

/// <summary>A warehouse's devices may publish only to that warehouse's topic: on mosquitto with the generated files, and on the embedded broker.</summary>
public sealed class BrokerAccessTests
{
    [Fact]
    public async Task Mosquitto_with_the_generated_ACL_keeps_a_device_to_its_own_warehouse()
    {
        var accounts = BridgeTests.Accounts(2, 1);
        await using var mosquitto = await BridgeTests.StartMosquittoWithAclAsync(accounts);
        await AssertDeviceConfinedAsync(mosquitto.Port, accounts, expectRefusalCode: false);
    }

    [Fact]
    public async Task The_embedded_broker_keeps_a_device_to_its_own_warehouse()
    {
        var accounts = BridgeTests.Accounts(2, 1);
        await using var broker = await EmbeddedMqttBroker.StartAsync(0, accounts, NullLogger.Instance, CancellationToken.None);
        await AssertDeviceConfinedAsync(broker.Port, accounts, expectRefusalCode: true);
        Assert.Equal(1, broker.Refused);
    }

    [Fact]
    public async Task Wrong_passwords_and_unknown_users_cannot_connect()
    {
        var accounts = BridgeTests.Accounts(1, 1);
        await using var mosquitto = await BridgeTests.StartMosquittoWithAclAsync(accounts);
        await using var broker = await EmbeddedMqttBroker.StartAsync(0, accounts, NullLogger.Instance, CancellationToken.None);
        foreach (var port in new[] { mosquitto.Port, broker.Port })
        {
            foreach (var (user, password) in new[] { (accounts[0].Username, "wrong"), ("stranger", accounts[0].Password) })
            {
                using var client = new MqttClientFactory().CreateMqttClient();
                var result = await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port)
                    .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).WithCredentials(user, password).Build());
                Assert.NotEqual(MqttClientConnectResultCode.Success, result.ResultCode);
            }
        }
    }

    private static async Task AssertDeviceConfinedAsync(int port, List<MqttAccount> accounts, bool expectRefusalCode)
    {
        var bridge = accounts[^1];
        var device = accounts.First(a => a.WarehouseId == "wh-01");
        await using var listener = await SampleCollector.StartAsync(port, bridge.Username, bridge.Password);
        await using var publisher = await MqttPublisher.ConnectAsync(port, device.Username, device.Username, device.Password);

        var own = SampleContractTests.Valid() with { SampleId = "own", WarehouseId = "wh-01", TakenAt = DateTimeOffset.UtcNow };
        var foreign = own with { SampleId = "foreign", WarehouseId = "wh-02" };
        var refused = await publisher.PublishAsync(WarehouseTopics.Samples("wh-02"), SampleJson.Serialize(foreign));
        Assert.True((await publisher.PublishAsync(WarehouseTopics.Samples("wh-01"), SampleJson.Serialize(own))).IsSuccess);
        if (expectRefusalCode)
        {
            Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, refused.ReasonCode);
        }

        await listener.WaitForAsync(r => r.Any(s => s.SampleId == "own"), TimeSpan.FromSeconds(10));
        await Task.Delay(500); // time enough for a wrongly accepted message to arrive behind it
        Assert.DoesNotContain(listener.Received, s => s.SampleId == "foreign");
    }
}
