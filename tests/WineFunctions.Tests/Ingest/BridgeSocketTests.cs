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

    /// <summary>sk_rcvbuf ("rb" in ss's socket memory) of each client socket connected to the port.</summary>
    private static async Task<long[]> ReceiveBuffersOfConnectionsToAsync(int port)
    {
        using var ss = Process.Start(new ProcessStartInfo("ss", ["-tnmH", "state", "established", "dport", $"= :{port}"]) { RedirectStandardOutput = true })!;
        var output = await ss.StandardOutput.ReadToEndAsync();
        await ss.WaitForExitAsync();
        Assert.Equal(0, ss.ExitCode);
        return [.. ReceiveBuffer().Matches(output).Select(m => long.Parse(m.Groups[1].Value))];
    }

    [GeneratedRegex(@"\brb(\d+)")]
    private static partial Regex ReceiveBuffer();
}
