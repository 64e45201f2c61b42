using System.Diagnostics;
using System.Text.RegularExpressions;
using WineFunctions.Mqtt;
using WineFunctions.Samples;
using WineFunctions.Tests.Infrastructure;
using WineFunctions.Tests.Samples;

namespace WineFunctions.Tests.Ingest;

/// <summary>
/// The bridge's MQTT connection as the kernel sees it (<c>ss</c>): its buffers are the kernel's to
/// size and grow. MQTTnet fixes them at 8 KiB unless given a stream of its own, which pins the TCP
/// window there; the benchmark caught a bridge crawling at about 100 samples a second through it.
/// </summary>
[Collection(Collections.Librdkafka)]
public sealed partial class BridgeSocketTests
{
    [SkippableFact]
    public async Task The_kernel_sizes_the_bridges_MQTT_socket_buffers_and_grows_them_under_load()
    {
        Skip.IfNot(File.Exists("/usr/bin/ss") || File.Exists("/bin/ss"), "ss (iproute2) is not installed");
        await using var mosquitto = await MosquittoServer.StartAsync();
        await using var harness = BridgeHarness.Create();
        harness.Start(harness.Options(mosquitto.Port));
        await harness.WaitUntilConnectedAsync();

        // A socket nobody set SO_RCVBUF on starts at net.ipv4.tcp_rmem's default; a fixed one at twice what was asked.
        var initial = long.Parse((await File.ReadAllTextAsync("/proc/sys/net/ipv4/tcp_rmem")).Split('\t', ' ')[1]);
        Assert.Equal([initial], await ReceiveBuffersOfConnectionsToAsync(mosquitto.Port));

        await using (var device = await MqttPublisher.ConnectAsync(mosquitto.Port, "wh-01-dev-1"))
        {
            for (var i = 0; i < 2_000; i++)
            {
                await device.PublishAsync(WarehouseTopics.Samples("wh-01"), SampleJson.Serialize(SampleContractTests.Valid() with
                {
                    SampleId = $"socket-{i}", WarehouseId = "wh-01", TakenAt = DateTimeOffset.UtcNow,
                }));
            }
        }
        await SinkHarness.WaitForAsync(() => Task.FromResult(harness.Metrics.Counts.Forwarded >= 2_000), TimeSpan.FromSeconds(60), "the bridge forwarding 2,000 samples");
        var grown = Assert.Single(await ReceiveBuffersOfConnectionsToAsync(mosquitto.Port));
        Assert.True(grown > initial, $"the receive buffer stayed at {grown} bytes under load");
    }

    [SkippableFact]
    public async Task The_bridge_sends_the_acknowledgements_of_a_burst_together_not_one_segment_each()
    {
        Skip.IfNot(File.Exists("/usr/bin/ss") || File.Exists("/bin/ss"), "ss (iproute2) is not installed");
        await using var mosquitto = await MosquittoServer.StartAsync();
        await using var harness = BridgeHarness.Create();
        // Kafka confirms in batches; a longer linger makes the batches this test's own, not the machine's.
        var defaults = harness.Options(mosquitto.Port);
        var options = defaults with { Kafka = defaults.Kafka with { Settings = new Dictionary<string, string> { ["linger.ms"] = "100" } } };
        harness.Start(options);
        await harness.WaitUntilConnectedAsync();
        await harness.StopBridgeAsync();

        // A backlog, as the broker holds after the bridge was away: it arrives as fast as the
        // receive maximum allows, and Kafka confirms it in batches.
        const int samples = 2_000;
        await using (var device = await MqttPublisher.ConnectAsync(mosquitto.Port, "wh-01-dev-1"))
        {
            await Task.WhenAll(Enumerable.Range(0, samples).Select(i => device.PublishAsync(WarehouseTopics.Samples("wh-01"), SampleJson.Serialize(SampleContractTests.Valid() with
            {
                SampleId = $"backlog-{i}", WarehouseId = "wh-01", TakenAt = DateTimeOffset.UtcNow,
            }))));
        }
        harness.Start(options);
        await SinkHarness.WaitForAsync(() => Task.FromResult(harness.Metrics.Counts.Forwarded >= samples), TimeSpan.FromSeconds(60), "the bridge forwarding the backlog");
        // The PUBACKs follow Kafka's confirmations: read the count once it has stopped moving.
        long sent = -1;
        await SinkHarness.WaitForAsync(async () =>
        {
            var last = sent;
            await Task.Delay(200);
            sent = Assert.Single(await DataSegmentsSentByConnectionsToAsync(mosquitto.Port));
            return sent == last;
        }, TimeSpan.FromSeconds(30), "the bridge's acknowledgements");

        // Sent one by one, each PUBACK is its own syscall, and the kernel's autocorking merges only
        // some: 240-908 segments measured here so, 4-127 together. The count also holds the new
        // connection's CONNECT and SUBSCRIBE.
        Assert.True(sent < samples / 10, $"the bridge sent {sent} data segments to acknowledge {samples} samples");
    }

    /// <summary>tcpi_data_segs_out ("data_segs_out" in ss's TCP information) of each client socket connected to the port.</summary>
    private static async Task<long[]> DataSegmentsSentByConnectionsToAsync(int port) =>
        [.. DataSegmentsSent().Matches(await SocketStatisticsAsync(port, "-tniH")).Select(m => long.Parse(m.Groups[1].Value))];

    /// <summary>sk_rcvbuf ("rb" in ss's socket memory) of each client socket connected to the port.</summary>
    private static async Task<long[]> ReceiveBuffersOfConnectionsToAsync(int port) =>
        [.. ReceiveBuffer().Matches(await SocketStatisticsAsync(port, "-tnmH")).Select(m => long.Parse(m.Groups[1].Value))];

    private static async Task<string> SocketStatisticsAsync(int port, string flags)
    {
        using var ss = Process.Start(new ProcessStartInfo("ss", [flags, "state", "established", "dport", $"= :{port}"]) { RedirectStandardOutput = true })!;
        var output = await ss.StandardOutput.ReadToEndAsync();
        await ss.WaitForExitAsync();
        Assert.Equal(0, ss.ExitCode);
        return output;
    }

    [GeneratedRegex(@"\brb(\d+)")]
    private static partial Regex ReceiveBuffer();

    [GeneratedRegex(@"\bdata_segs_out:(\d+)")]
    private static partial Regex DataSegmentsSent();
}
