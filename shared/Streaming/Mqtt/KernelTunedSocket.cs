using System.Net;
using System.Net.Sockets;
using MQTTnet.Channel;

namespace WineFunctions.Mqtt;

/// <summary>
/// Opens the connection to the broker as a plain TCP socket whose buffers the kernel sizes and grows.
/// MQTTnet's own channel fixes SO_RCVBUF and SO_SNDBUF at 8 KiB, and a fixed buffer turns the kernel's
/// window tuning off: the bridge's window stayed at 8 KiB, one window per round trip over a
/// warehouse's network, and in the benchmark a bridge crawled at about 100 samples a second behind
/// delayed ACKs. Writes go out together (<see cref="CoalescingSocketStream"/>). MQTTnet still layers
/// TLS on the stream returned here.
/// </summary>
public sealed class KernelTunedSocket : IMqttClientStreamProvider
{
    public static KernelTunedSocket Instance { get; } = new();

    public async Task<Stream> ConnectAsync(EndPoint brokerEndPoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }; // MQTTnet's default too: a PUBACK is never held back
        try
        {
            await socket.ConnectAsync(brokerEndPoint, cancellationToken);
            return new CoalescingSocketStream(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
