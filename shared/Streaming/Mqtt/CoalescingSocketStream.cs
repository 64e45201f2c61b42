using System.Buffers;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;

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
    /// <summary>Past this a writer waits for the sender to take the bytes, as it would on a full send buffer.</summary>
    private const int MaxPendingBytes = 1 << 20;

    /// <summary>A buffer grown past this by a burst is replaced after its send, so an idle connection holds little.</summary>
    private const int KeptBufferBytes = 64 * 1024;

    /// <summary>How long closing lets the sender finish what is pending (a DISCONNECT, the last PUBACKs).</summary>
    private static readonly TimeSpan DrainOnClose = TimeSpan.FromSeconds(2);

    private readonly NetworkStream _socket = new(socket, ownsSocket: true);
    private readonly Lock _gate = new();
    private ArrayBufferWriter<byte> _pending = new(4096), _inFlight = new(4096);
    private Task _sender = Task.CompletedTask;
    private bool _sending, _closed;
    private TaskCompletionSource? _taken, _drained;
    private Exception? _failure;

    public override bool CanRead => !_closed;
    public override bool CanWrite => !_closed;
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

    public override void Write(ReadOnlySpan<byte> buffer) => Append(buffer)?.GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <summary>Waits until everything written so far is in the socket (SslStream asks during its handshake).</summary>
    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfUnusable();
            return Signal(ref _drained).WaitAsync(cancellationToken);
        }
    }

    public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Copies the bytes for the sender; returns a task to wait on when too much is pending.</summary>
    private Task? Append(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            ThrowIfUnusable();
            _pending.Write(bytes);
            if (!_sending)
            {
                _sending = true;
                _sender = Task.Run(SendAsync); // on another thread, so that writes made meanwhile join the next send
            }
            return _pending.WrittenCount > MaxPendingBytes ? Signal(ref _taken) : null;
        }
    }

    private async Task SendAsync()
    {
        while (true)
        {
            lock (_gate)
            {
                if (_pending.WrittenCount == 0)
                {
                    _sending = false;
                    Complete(ref _drained, null);
                    return;
                }
                (_inFlight, _pending) = (_pending, _inFlight);
                Complete(ref _taken, null);
            }
            try
            {
                await _socket.WriteAsync(_inFlight.WrittenMemory);
            }
            catch (Exception e)
            {
                lock (_gate)
                {
                    _failure = e;
                    _sending = false;
                    Complete(ref _taken, e);
                    Complete(ref _drained, e);
                }
                return;
            }
            _inFlight = _inFlight.Capacity > KeptBufferBytes ? new(4096) : _inFlight;
            _inFlight.ResetWrittenCount();
        }
    }

    /// <summary>The task a waiter waits on; already complete when nothing is being sent.</summary>
    private Task Signal(ref TaskCompletionSource? signal) =>
        _sending ? (signal ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task : Task.CompletedTask;

    private static void Complete(ref TaskCompletionSource? signal, Exception? failure)
    {
        if (failure is null)
        {
            signal?.TrySetResult();
        }
        else
        {
            signal?.TrySetException(failure);
        }
        signal = null;
    }

    /// <summary>A write after a failed send gets the send's own exception, which is what MQTTnet maps to a lost connection.</summary>
    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (_failure is not null)
        {
            ExceptionDispatchInfo.Throw(_failure);
        }
    }

    /// <summary>Closes without blocking: the socket closes once the sender has finished, or after <see cref="DrainOnClose"/>.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing && MarkClosed() is { } sender)
        {
            _ = CloseAfterAsync(sender);
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (MarkClosed() is { } sender)
        {
            await CloseAfterAsync(sender);
            GC.SuppressFinalize(this);
        }
    }

    /// <summary>Refuses further writes; the sender to wait for (no sender starts after this), or null when already closed.</summary>
    private Task? MarkClosed()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return null;
            }
            _closed = true;
            return _sender;
        }
    }

    private async Task CloseAfterAsync(Task sender)
    {
        await sender.WaitAsync(DrainOnClose).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _socket.DisposeAsync();
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
