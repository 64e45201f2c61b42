using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using WineFunctions.Mqtt;
using WineFunctions.Samples;
using WineFunctions.Telemetry;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Ingest;

/// <summary>The bridge's part of a sample's trace: W3C context from the MQTT 5 user property into the Kafka record's header.</summary>
[Collection(Collections.Librdkafka)]
public sealed class BridgeTraceTests
{
    [Fact]
    public async Task The_bridge_continues_a_devices_trace_into_the_Kafka_header_and_starts_one_for_a_device_that_sends_none()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(WineTelemetry.Ingest.Name).AddInMemoryExporter(spans).Build();
        var accounts = BridgeTests.Accounts(1, 1);
        await using var mosquitto = await BridgeTests.StartMosquittoWithAclAsync(accounts);
        await using var harness = BridgeHarness.Create();
        harness.Start(harness.Options(mosquitto.Port, "wine-bridge", accounts[^1].Password));
        await harness.WaitUntilConnectedAsync();

        var device = accounts[0];
        await using var publisher = await MqttPublisher.ConnectAsync(mosquitto.Port, device.Username!, device.Username, device.Password);
        var values = TrainingData.Simulated(1, seed: 3)[0].Values;
        byte[] Sample(string id) => SampleJson.Serialize(WineSample.Create(id, "b-1", device.WarehouseId!, device.Username!, DateTimeOffset.UtcNow, WineColour.Red, values));
        const string DeviceContext = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        await publisher.PublishAsync(WarehouseTopics.Samples(device.WarehouseId!), Sample("traced"), DeviceContext);
        await publisher.PublishAsync(WarehouseTopics.Samples(device.WarehouseId!), Sample("untraced"));

        var records = KafkaTopic.Read(harness.Kafka.BootstrapServers, BridgeHarness.Topic, r => r.Count >= 2, TimeSpan.FromSeconds(90))
            .ToDictionary(r => BridgeTests.Sample(r).SampleId);
        var continued = ActivityContext.Parse(records["traced"].Header(WineTelemetry.TraceParent), null);
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", continued.TraceId.ToHexString());
        var publish = Assert.Single(spans, s => s.SpanId == continued.SpanId);
        Assert.Equal(("b7ad6b7169203331", ActivityKind.Producer, "publish wine.samples"), (publish.ParentSpanId.ToHexString(), publish.Kind, publish.DisplayName));

        var started = ActivityContext.Parse(records["untraced"].Header(WineTelemetry.TraceParent), null);
        Assert.NotEqual(continued.TraceId, started.TraceId);
        Assert.Equal(default, Assert.Single(spans, s => s.SpanId == started.SpanId).ParentSpanId); // a new trace, begun at the bridge
    }
}
