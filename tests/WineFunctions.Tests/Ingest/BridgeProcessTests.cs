using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using WineFunctions.Ingest;
using WineFunctions.Mqtt;
using WineFunctions.Samples;
using WineFunctions.Tests.Infrastructure;
using WineFunctions.Tests.Samples;

namespace WineFunctions.Tests.Ingest;

[Collection(Collections.Librdkafka)]
public sealed class BridgeProcessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_bridge_killed_mid_stream_and_restarted_loses_no_sample()
    {
        var accounts = BridgeTests.Accounts(3, 1);
        await using var mosquitto = await BridgeTests.StartMosquittoWithAclAsync(accounts);
        await using var harness = BridgeHarness.Create();
        var options = harness.Options(mosquitto.Port, "wine-bridge", accounts[^1].Password);
        var httpPort = EmbeddedMqttBroker.FreeLoopbackPort();

        var bridge = BridgeProcess.Start(options, httpPort);
        await WaitHealthyAsync(httpPort, bridge);
        var simulator = BridgeTests.Simulator(mosquitto.Port, accounts, samples: 1500, rate: 300);
        var running = simulator.RunAsync(CancellationToken.None, CancellationToken.None);

        // Kill once a part of the stream is through, with the rest still coming.
        KafkaTopic.Read(harness.Kafka.BootstrapServers, BridgeHarness.Topic, r => r.Count >= 300, Patience);
        await bridge.KillAsync();
        await bridge.DisposeAsync();
        await Task.Delay(TimeSpan.FromSeconds(1)); // samples published meanwhile wait in the bridge's session

        await using var restarted = BridgeProcess.Start(options, httpPort);
        await WaitHealthyAsync(httpPort, restarted);
        await running;
        Assert.Equal(1500, simulator.Stats.Snapshot().Delivered);

        var records = KafkaTopic.Read(harness.Kafka.BootstrapServers, BridgeHarness.Topic,
            r => r.Select(x => BridgeTests.Sample(x).SampleId).Distinct().Count() >= 1500, Patience);
        Assert.Equal(1500, records.Select(r => BridgeTests.Sample(r).SampleId).Distinct().Count());
    }

    [Fact]
    public async Task A_restart_with_a_full_disk_buffer_drains_it_in_order_before_new_samples()
    {
        await using var mosquitto = await MosquittoServer.StartAsync();
        await using var harness = BridgeHarness.Create();
        var options = harness.Options(mosquitto.Port, bufferBytes: 1 << 20);

        // What a previous run left: a buffer filled to its bound, all of one batch.
        var batch = "wh-01-batch-001";
        var buffered = 0;
        using (var buffer = DiskBuffer.Open(options.Buffer.Directory, options.Buffer.MaxBytes, options.Buffer.SegmentBytes, NullLogger.Instance))
        {
            while (true)
            {
                var sample = SampleContractTests.Valid() with { SampleId = $"old-{buffered:D5}", BatchId = batch, WarehouseId = "wh-01", TakenAt = DateTimeOffset.UtcNow };
                var record = new BufferedRecord(BridgeHarness.Topic, batch, SampleJson.Serialize(sample), []);
                if (!buffer.HasRoomFor(record))
                {
                    break;
                }
                buffer.Append(record);
                buffered++;
            }
            buffer.Flush();
        }
        Assert.True(buffered > 1000);

        var httpPort = EmbeddedMqttBroker.FreeLoopbackPort();
        await using var bridge = BridgeProcess.Start(options, httpPort);
        await WaitHealthyAsync(httpPort, bridge);
        await using (var device = await MqttPublisher.ConnectAsync(mosquitto.Port, "wh-01-dev-1"))
        {
            for (var i = 0; i < 20; i++)
            {
                var sample = SampleContractTests.Valid() with { SampleId = $"new-{i:D5}", BatchId = batch, WarehouseId = "wh-01", TakenAt = DateTimeOffset.UtcNow };
                Assert.True((await device.PublishAsync(WarehouseTopics.Samples("wh-01"), SampleJson.Serialize(sample))).IsSuccess);
            }
        }

        var records = KafkaTopic.Read(harness.Kafka.BootstrapServers, BridgeHarness.Topic, r => r.Count >= buffered + 20, Patience);
        var inPartitionOrder = records.OrderBy(r => r.Offset.Value).Select(r => BridgeTests.Sample(r).SampleId).ToList();
        Assert.Single(records.Select(r => r.Partition.Value).Distinct());
        Assert.Equal(
            [.. Enumerable.Range(0, buffered).Select(i => $"old-{i:D5}"), .. Enumerable.Range(0, 20).Select(i => $"new-{i:D5}")],
            inPartitionOrder);
        Assert.Empty(Directory.GetFiles(options.Buffer.Directory, "*.seg"));
    }

    [Fact]
    public async Task A_bad_configuration_stops_the_bridge_at_start_naming_the_setting()
    {
        await using var harness = BridgeHarness.Create();
        var options = harness.Options(1883) with { Kafka = harness.Options(1883).Kafka with { BootstrapServers = "" } };
        await using var bridge = BridgeProcess.Start(options, EmbeddedMqttBroker.FreeLoopbackPort(),
            new Dictionary<string, string> { ["Bridge__Mqtt__Port"] = "70000" });
        Assert.True(await bridge.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the bridge must stop on a bad configuration");
        Assert.Equal(2, bridge.ExitCode);
        Assert.Contains("Bridge:Mqtt:Port must be 1-65535, not 70000", bridge.Output);
        Assert.Contains("Bridge:Kafka:BootstrapServers is required", bridge.Output);
    }

    private static async Task WaitHealthyAsync(int httpPort, BridgeProcess bridge)
    {
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(bridge.HasExited, "the bridge exited: " + bridge.Output);
            try
            {
                var response = await http.GetAsync($"http://127.0.0.1:{httpPort}/health");
                if (response.IsSuccessStatusCode)
                {
                    var status = await response.Content.ReadFromJsonAsync<BridgeStatus>();
                    Assert.True(status!.MqttConnected);
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("the bridge did not report healthy within 30 s: " + bridge.Output);
    }
}
