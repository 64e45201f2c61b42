using Microsoft.Extensions.Logging.Abstractions;
using WineFunctions.Simulation;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Simulation;

public sealed class SimulatorAgainstMosquittoTests
{
    [Fact]
    public async Task Every_sample_reaches_a_real_broker_once_per_sampleId_despite_dropped_connections()
    {
        await using var mosquitto = await MosquittoServer.StartAsync();
        await using var collector = await SampleCollector.StartAsync(mosquitto.Port);
        var simulator = new DeviceSimulator(new SimulatorOptions
        {
            Host = "127.0.0.1",
            Port = mosquitto.Port,
            Devices = SimulatorOptions.PlanDevices(3, 2, (_, _) => null),
            SamplesPerSecond = 1_000,
            Samples = 600,
            ConnectionLossProbability = 0.05,
        }, TimeProvider.System, NullLogger.Instance);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await simulator.RunAsync(timeout.Token, timeout.Token);
        var stats = simulator.Stats.Snapshot();
        Assert.Equal(600, stats.Delivered);
        Assert.True(stats.ConnectionsLost > 0, "the run must drop connections to test anything");

        await collector.WaitForAsync(r => r.Select(s => s.SampleId).Distinct().Count() >= 600, TimeSpan.FromSeconds(30));
        Assert.Empty(collector.Invalid);
        var byId = collector.Received.GroupBy(s => s.SampleId).ToList();
        Assert.Equal(600, byId.Count);
        // Copies of one sample are the same sample: a resend, never a new measurement.
        Assert.All(byId, g => Assert.Single(g.Distinct()));
        // Only a publish in flight when the network dropped can arrive twice.
        Assert.InRange(collector.Received.Count - byId.Count, 0, stats.Resends);
        Assert.All(collector.Received, s => Assert.StartsWith(s.WarehouseId + "-dev-", s.DeviceId));
    }

    [Fact]
    public async Task A_full_device_queue_refuses_scans_instead_of_dropping_samples()
    {
        // No broker listens: every sample stays queued on the device.
        var simulator = new DeviceSimulator(new SimulatorOptions
        {
            Host = "127.0.0.1",
            Port = WineFunctions.Mqtt.EmbeddedMqttBroker.FreeLoopbackPort(),
            Devices = SimulatorOptions.PlanDevices(1, 1, (_, _) => null),
            SamplesPerSecond = 2_000,
            DeviceQueueCapacity = 25,
        }, TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await simulator.RunAsync(stop.Token, stop.Token);
        var stats = simulator.Stats.Snapshot();
        Assert.Equal(25, stats.Scanned);
        Assert.Equal(25, stats.Queued);
        Assert.True(stats.RefusedScans > 0);
        Assert.Equal(0, stats.Delivered);
    }
}
