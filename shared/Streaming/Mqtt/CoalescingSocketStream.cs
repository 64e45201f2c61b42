using System.Buffers;
using System.Net.Sockets;

namespace WineFunctions.Mqtt;

/// <summary>
/// A socket stream whose writes return once copied, and a single sender puts everything written
/// while its previous send was under way into its next one. The bridge acknowledges Kafka's
/// confirmations in bursts of hundreds; MQTTnet writes each PUBACK (and a publish's header and
/// payload) separately, and one syscall per write was about a sixth of the bridge's CPU in a profile.
/// Nothing is acknowledged earlier than before: a PUBACK is written only once Kafka confirmed.
/// </summary>
internal sealed class CoalescingSocketStream(Socket socket) : Stream
{
    /// <summary>Past this a writer waits for the socket, as it would on a full send buffer.</summary>
    private const int MaxPendingBytes = 1 << 20;

    /// <summary>How long disposal waits for what is still pending (a DISCONNECT, the last PUBACKs).</summary>
    private static readonly TimeSpan DrainOnClose = TimeSpan.FromSeconds(2);

    private readonly NetworkStream _socket = new(socket, ownsSocket: true);
    private readonly Lock _gate = new();
    private ArrayBufferWriter<byte> _pending = new(4096);
    private ArrayBufferWriter<byte>? _spare = new(4096);
    private Task _sender = Task.CompletedTask;
    private bool _sending;
    private TaskCompletionSource? _drained;
    private Exception? _failure;

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _socket.ReadAsync(buffer, cancellationToken);
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _socket.ReadAsync(buffer, offset, count, cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => _socket.Read(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        Append(buffer.Span) is { } full ? new(full.WaitAsync(cancellationToken)) : ValueTask.CompletedTask;

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => Append(buffer.AsSpan(offset, count))?.GetAwaiter().GetResult();

    /// <summary>Waits until everything written so far is in the socket.</summary>
    public override Task FlushAsync(CancellationToken cancellationToken) => Drained().WaitAsync(cancellationToken);

    public override void Flush() => Drained().GetAwaiter().GetResult();

    /// <summary>Copies the bytes for the sender; returns a task to wait on when too much is pending.</summary>
    private Task? Append(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            ThrowIfFailed();
            _pending.Write(bytes);
            if (!_sending)
            {
                _sending = true;
                _sender = Task.Run(SendAsync); // on another thread, so that writes made meanwhile join the next send
            }
            return _pending.WrittenCount > MaxPendingBytes ? DrainedLocked() : null;
        }
    }

    private async Task SendAsync()
    {
        while (true)
        {
            ArrayBufferWriter<byte> batch;
            lock (_gate)
            {
                if (_pending.WrittenCount == 0)
                {
                    _sending = false;
                    _drained?.TrySetResult();
                    _drained = null;
                    return;
                }
                batch = _pending;
                _pending = _spare!;
                _spare = null;
            }
            try
            {
                await _socket.WriteAsync(batch.WrittenMemory);
            }
            catch (Exception e)
            {
                lock (_gate)
                {
                    _failure = e;
                    _sending = false;
                    _drained?.TrySetException(new IOException("The connection to the broker failed while sending.", e));
                    _drained = null;
                }
                return;
            }
            batch.ResetWrittenCount();
            lock (_gate)
            {
                _spare = batch;
            }
        }
    }

    private Task Drained()
    {
        lock (_gate)
        {
            ThrowIfFailed();
            return DrainedLocked();
        }
    }

    private Task DrainedLocked() =>
        _sending ? (_drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task : Task.CompletedTask;

    private void ThrowIfFailed()
    {
        if (_failure is not null)
        {
            throw new IOException("The connection to the broker failed while sending.", _failure);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sender.Wait(DrainOnClose); // the sender records its own failure; a closed connection has nothing more to say
            _socket.Dispose();
        }
        base.Dispose(disposing);
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
