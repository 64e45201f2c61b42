using Microsoft.Extensions.Logging.Abstractions;
using WineFunctions.Mqtt;
using WineFunctions.Samples;
using WineFunctions.Tests.Infrastructure;
using WineFunctions.Tests.Samples;

namespace WineFunctions.Tests.Ingest;

/// <summary>What a warehouse broker acknowledged stays there for the bridge, across a broker restart, and the broker's queue is bounded.</summary>
[Collection(Collections.Librdkafka)]
public sealed class BrokerPersistenceTests
{
    [Fact]
    public async Task A_mosquitto_restart_while_the_bridge_is_away_loses_none_of_the_samples_queued_for_it()
    {
        const int samples = 30;
        var accounts = BridgeTests.Accounts(1, 1);
        var (device, bridge) = (accounts[0], accounts[^1]);
        await using var mosquitto = await BridgeTests.StartMosquittoWithAclAsync(accounts);
        await using var harness = BridgeHarness.Create();
        var options = harness.Options(mosquitto.Port, bridge.Username, bridge.Password);
        harness.Start(options);
        await harness.WaitUntilConnectedAsync();
        await harness.StopBridgeAsync(); // away: its session holds what the device sends

        await using (var publisher = await MqttPublisher.ConnectAsync(mosquitto.Port, device.Username, device.Username, device.Password))
        {
            for (var i = 0; i < samples; i++)
            {
                var sample = SampleContractTests.Valid() with { SampleId = $"kept-{i}", WarehouseId = "wh-01", TakenAt = DateTimeOffset.UtcNow };
                Assert.True((await publisher.PublishAsync(WarehouseTopics.Samples("wh-01"), SampleJson.Serialize(sample))).IsSuccess);
            }
        }
        await mosquitto.RestartAsync();

        harness.Start(options);
        var records = KafkaTopic.Read(harness.Kafka.BootstrapServers, BridgeHarness.Topic,
            r => r.Select(x => BridgeTests.Sample(x).SampleId).Distinct().Count() >= samples, TimeSpan.FromSeconds(60));
        Assert.Equal(samples, records.Select(r => BridgeTests.Sample(r).SampleId).Distinct().Count());
    }

    [Fact]
    public async Task Neither_broker_passes_on_a_publish_larger_than_a_sample_can_be()
    {
        var accounts = BridgeTests.Accounts(1, 1);
        var (device, bridge) = (accounts[0], accounts[^1]);
        await using var mosquitto = await BridgeTests.StartMosquittoWithAclAsync(accounts);
        await using var embedded = await EmbeddedMqttBroker.StartAsync(0, accounts, NullLogger.Instance, CancellationToken.None);
        foreach (var port in new[] { mosquitto.Port, embedded.Port })
        {
            await using var listener = await SampleCollector.StartAsync(port, bridge.Username, bridge.Password);
            await using var publisher = await MqttPublisher.ConnectAsync(port, device.Username, device.Username, device.Password);
            var huge = new byte[5 * 1024 * 1024];
            try
            {
                Assert.False((await publisher.PublishAsync(WarehouseTopics.Samples("wh-01"), huge)).IsSuccess, "a 5 MB publish was acknowledged");
            }
            catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException)
            {
                // mosquitto drops a client that sends a packet past max_packet_size.
            }
            await Task.Delay(500);
            Assert.Empty(listener.Received);
        }
    }
}
