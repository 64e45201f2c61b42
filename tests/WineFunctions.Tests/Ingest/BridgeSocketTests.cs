using System.Diagnostics;
using System.Text.RegularExpressions;
using WineFunctions.Mqtt;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Ingest;

/// <summary>
/// The bridge's MQTT connection, as the kernel sees it (<c>ss</c>): its receive buffer must hold a
/// receive maximum's worth of samples. MQTTnet fixes a socket's buffers at 8 KiB unless told, which
/// pins the TCP window there; the benchmark caught a bridge crawling at about 100 samples a second
/// through such a window.
/// </summary>
[Collection(Collections.Librdkafka)]
public sealed partial class BridgeSocketTests
{
    [Fact]
    public async Task The_bridges_MQTT_socket_receives_through_a_buffer_as_large_as_the_kernel_allows_up_to_the_subscriber_size()
    {
        await using var mosquitto = await MosquittoServer.StartAsync();
        await using var harness = BridgeHarness.Create();
        harness.Start(harness.Options(mosquitto.Port));
        await harness.WaitUntilConnectedAsync();

        var rmemMax = long.Parse(await File.ReadAllTextAsync("/proc/sys/net/core/rmem_max"));
        var expected = 2 * Math.Min(PersistentSession.SubscriberBufferBytes, rmemMax); // Linux doubles SO_RCVBUF for its bookkeeping
        var receiveBuffers = await ReceiveBuffersOfConnectionsToAsync(mosquitto.Port);
        Assert.Equal([expected], receiveBuffers);
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
