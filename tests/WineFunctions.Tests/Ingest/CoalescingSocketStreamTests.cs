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
        var expected = Enumerable.Range(0, 120_000).SelectMany(i => BitConverter.GetBytes(i).Append((byte)(i % 251))).ToArray();
        using var pair = await SocketPair.ConnectAsync(bufferBytes: 4096);
        var stream = new CoalescingSocketStream(pair.Client);
        for (var offset = 0; offset < expected.Length; offset += 5)
        {
            await stream.WriteAsync(expected.AsMemory(offset, 5)); // a PUBACK-sized write
        }
        var received = ReadToEndAsync(pair.Server);
        await stream.DisposeAsync();

        Assert.Equal(expected, await received.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_writer_past_the_pending_limit_waits_for_the_socket_and_loses_nothing()
    {
        var expected = new byte[4 << 20];
        new Random(7).NextBytes(expected);
        using var pair = await SocketPair.ConnectAsync(bufferBytes: 4096);
        await using var stream = new CoalescingSocketStream(pair.Client);

        // Nobody reads yet: once the socket's buffers are full, the pending bytes pile up to the limit.
        var offset = 0;
        ValueTask write;
        do
        {
            write = stream.WriteAsync(expected.AsMemory(offset, 64 * 1024));
            offset += 64 * 1024;
        }
        while (write.IsCompleted && offset < expected.Length);
        Assert.False(write.IsCompleted, "4 MiB were taken with nobody reading");
        // Up to the limit pending, plus what the sender took into the send under way before the socket filled: a sender
        // that starts late takes nearly the limit too (seen once: 2 MiB and two writes).
        Assert.InRange(offset, 1 << 20, (2 << 20) + 4 * 64 * 1024);

        var received = ReadToEndAsync(pair.Server);
        await write;
        for (; offset < expected.Length; offset += 64 * 1024)
        {
            await stream.WriteAsync(expected.AsMemory(offset, 64 * 1024));
        }
        await stream.DisposeAsync();
        Assert.Equal(expected, await received.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task After_a_reset_the_next_write_fails_with_the_sockets_own_error()
    {
        using var pair = await SocketPair.ConnectAsync();
        await using var stream = new CoalescingSocketStream(pair.Client);
        pair.Server.LingerState = new LingerOption(true, 0); // closing sends a reset, as a broker that went away does
        pair.Server.Close();

        // MQTTnet takes an IOException around a SocketException for a lost connection.
        var failure = await Assert.ThrowsAsync<IOException>(async () =>
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (true)
            {
                await stream.WriteAsync(new byte[] { 0x40, 0x02, 0x00, 0x01 }, timeout.Token);
                await Task.Delay(10, timeout.Token);
            }
        });
        Assert.IsType<SocketException>(failure.InnerException);
    }

    [Fact]
    public async Task A_write_after_closing_is_refused()
    {
        using var pair = await SocketPair.ConnectAsync();
        var stream = new CoalescingSocketStream(pair.Client);
        await stream.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await stream.WriteAsync(new byte[] { 0xe0, 0x00 }));
    }

    /// <summary>A loopback connection; with <c>bufferBytes</c>, small socket buffers, so that unread bytes soon stay with the sender.</summary>
    private sealed record SocketPair(TcpListener Listener, Socket Client, Socket Server) : IDisposable
    {
        public static async Task<SocketPair> ConnectAsync(int? bufferBytes = null)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            var client = new Socket(SocketType.Stream, ProtocolType.Tcp);
            if (bufferBytes is { } bytes)
            {
                listener.Server.ReceiveBufferSize = bytes;
                client.SendBufferSize = bytes;
            }
            listener.Start();
            await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
            return new(listener, client, await listener.AcceptSocketAsync());
        }

        public void Dispose()
        {
            Server.Dispose();
            Client.Dispose();
            Listener.Dispose();
        }
    }

    private static async Task<byte[]> ReadToEndAsync(Socket socket)
    {
        await using var network = new NetworkStream(socket, ownsSocket: false);
        using var all = new MemoryStream();
        await network.CopyToAsync(all);
        return all.ToArray();
    }
}
