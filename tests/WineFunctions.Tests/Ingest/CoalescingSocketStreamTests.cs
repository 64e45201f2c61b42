using System.Net;
using System.Net.Sockets;
using WineFunctions.Mqtt;

namespace WineFunctions.Tests.Ingest;

/// <summary>
/// The MQTT clients' socket stream, whose writes return once copied and go out together: nothing
/// written may be lost, reordered or reported as sent on a connection that has failed.
/// </summary>
public sealed class CoalescingSocketStreamTests
{
    [Fact]
    public async Task A_burst_of_writes_arrives_whole_and_in_order_and_closing_sends_what_is_still_pending()
    {
        // Small socket buffers and a peer that reads only at the end: most of the bytes are still
        // pending in the stream when it is closed.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Server.ReceiveBufferSize = 4096;
        listener.Start();
        var expected = Enumerable.Range(0, 120_000).SelectMany(i => BitConverter.GetBytes(i).Append((byte)(i % 251))).ToArray();
        var client = new Socket(SocketType.Stream, ProtocolType.Tcp) { SendBufferSize = 4096 };
        await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
        using var server = await listener.AcceptSocketAsync();

        var stream = new CoalescingSocketStream(client);
        for (var offset = 0; offset < expected.Length; offset += 5)
        {
            await stream.WriteAsync(expected.AsMemory(offset, 5)); // a PUBACK-sized write
        }
        var received = ReadToEndAsync(server);
        await stream.DisposeAsync();

        Assert.Equal(expected, await received.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Writes_fail_once_the_connection_is_reset_instead_of_vanishing()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
        await using var stream = new CoalescingSocketStream(client);
        using (var server = await listener.AcceptSocketAsync())
        {
            server.LingerState = new LingerOption(true, 0); // closing sends a reset, as a broker that went away does
        }

        await Assert.ThrowsAsync<IOException>(async () =>
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (true)
            {
                await stream.WriteAsync(new byte[] { 0x40, 0x02, 0x00, 0x01 }, timeout.Token);
                await Task.Delay(10, timeout.Token);
            }
        });
    }

    private static async Task<byte[]> ReadToEndAsync(Socket socket)
    {
        await using var network = new NetworkStream(socket, ownsSocket: false);
        using var all = new MemoryStream();
        await network.CopyToAsync(all);
        return all.ToArray();
    }
}
