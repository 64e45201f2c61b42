using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Threading.Channels;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using WineFunctions.Kafka;
using WineFunctions.Samples;
using WineFunctions.Telemetry;

namespace WineFunctions.Ingest;

/// <summary>What the bridge is doing, for the health endpoint and progress output.</summary>
/// <param name="WaitingForBuffer">Another bridge holds the disk buffer (the old revision in a rollout): this one waits for it to stop.</param>
/// <param name="EdgeModelVersion">The model version attached to samples by the edge option; null when it is off or has no champion yet.</param>
public sealed record BridgeStatus(bool MqttConnected, bool WaitingForBuffer, bool Buffering, long BufferedRecords, BridgeCounts Counts, int? EdgeModelVersion);

/// <summary>
/// The MQTT -> Kafka bridge that loses nothing. Each MQTT message is validated and routed (sample
/// or dead letter), then acknowledged to the broker only once it is safe:
/// <list type="bullet">
/// <item>direct: when Kafka confirms the record (idempotent producer, acks=all);</item>
/// <item>buffered: when Kafka has not confirmed within <see cref="KafkaSettings.BufferAfterSeconds"/>, or its
/// queue is full, the record goes to the <see cref="DiskBuffer"/> and is acknowledged after the fsync;
/// while the buffer holds anything, new records join it behind the old ones, so a batch stays in order.
/// A drainer empties it into Kafka in order, then the bridge goes direct again;</item>
/// <item>full buffer: nothing is acknowledged and the intake stops, so the broker holds the messages.</item>
/// </list>
/// A crash at any point leaves every unacknowledged message with the broker (persistent session) and
/// every acknowledged one in Kafka or on disk: at least once, never lost. So a buffer that cannot be
/// written (a failing volume) stops the bridge with that error instead of leaving it wedged.
/// </summary>
public sealed class SampleBridge(BridgeOptions options, TimeProvider time, ILogger<SampleBridge> logger, BridgeMetrics metrics)
{
    private const int GroupCommit = 256;
    private readonly Lock _gate = new();
    private readonly List<IncomingMessage> _awaitingFsync = [];
    private DiskBuffer? _buffer;
    private MqttIntake? _intake;
    private EdgePredictor? _edge;
    private IProducer<byte[]?, byte[]>? _producer;
    private volatile string? _producerFailed; // the fatal error's reason, until the drainer replaces the producer
    private bool _buffering;
    private bool _purged; // this buffering episode's purge is done: nothing produced directly since is behind a timeout
    private volatile bool _waitingForBuffer;
    private long _inFlight;
    private CancellationTokenSource? _bufferFailed;
    private ExceptionDispatchInfo? _bufferFailure;
    private readonly string _publishSamples = $"publish {options.Kafka.Topic}"; // the span name of nearly every message, made once

    public BridgeStatus Status
    {
        get
        {
            lock (_gate)
            {
                return new BridgeStatus(_intake?.Connected == true, _waitingForBuffer, _buffering, _buffer?.Count ?? 0, metrics.Counts, _edge?.ModelVersion);
            }
        }
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        var problems = options.Problems();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Bridge settings: " + string.Join("; ", problems));
        }
        using var buffer = await TakeBufferAsync(stopping);
        if (buffer is null)
        {
            return; // stopped while another bridge held the buffer
        }
        using var edge = options.EdgePrediction.Enabled
            ? new EdgePredictor(options.EdgePrediction.Lake.Open(), options.EdgePrediction.ChampionCheckInterval, time, logger, metrics)
            : null;
        _edge = edge;
        var routing = new SampleRouting(options.Kafka.Topic, options.Kafka.DeadLetterTopic, SampleValidationOptions.Default, edge);
        lock (_gate)
        {
            _buffer = buffer;
            _buffering = !buffer.IsEmpty; // what a previous run buffered goes out before anything new
        }
        _producer = BuildProducer();
        var channel = Channel.CreateBounded<IncomingMessage>(new BoundedChannelOptions(options.Mqtt.ReceiveMaximum) { SingleReader = true });
        await using var intake = new MqttIntake(options.Mqtt, channel.Writer, logger);
        _intake = intake;

        using var bufferFailed = _bufferFailed = new CancellationTokenSource();
        using var running = CancellationTokenSource.CreateLinkedTokenSource(stopping, bufferFailed.Token);
        using var stopDraining = new CancellationTokenSource();
        var mqtt = intake.RunAsync(running.Token);
        var draining = DrainAsync(stopDraining.Token);
        // In the background: reading the registry never holds up a sample.
        var refreshing = edge is null ? Task.CompletedTask : Task.Run(() => edge.RefreshAsync(stopping), CancellationToken.None);
        try
        {
            await PipelineAsync(channel.Reader, routing, running.Token);
        }
        finally
        {
            // Graceful stop: the drainer first (so the producer is not replaced meanwhile), then let Kafka confirm
            // (or refuse into the buffer) what is in flight, then acknowledge, then disconnect.
            await stopDraining.CancelAsync();
            await draining;
            // Not Flush: that serves delivery reports on this thread too, beside the client's own, and two threads would
            // append to the buffer out of order. What is still in flight after this stays unacknowledged: the broker sends it again.
            using (var patience = new CancellationTokenSource(TimeSpan.FromSeconds(options.Kafka.BufferAfterSeconds + 5), time))
            {
                await NothingInFlightAsync(patience.Token);
            }
            FsyncAndAcknowledge();
            _producer.Dispose();
            await mqtt;
            await refreshing;
            _edge = null;
            logger.LogInformation("Bridge stopped: {Counts}", metrics.Counts);
        }
        _bufferFailure?.Throw();
    }

    /// <summary>
    /// Opens the disk buffer for this bridge alone. In a rollout that starts the new bridge before it stops the old one
    /// (Azure Container Apps' single revision mode), both see the same buffer share and login: two writers would corrupt
    /// the buffer, and two MQTT clients with one client id would take the session from each other. So the new bridge
    /// waits, alive but not connected, until the old one stops and the system releases its lock.
    /// </summary>
    private async Task<DiskBuffer?> TakeBufferAsync(CancellationToken stopping)
    {
        var since = time.GetTimestamp();
        var told = TimeSpan.Zero;
        while (true)
        {
            if (DiskBuffer.TryOpen(options.Buffer.Directory, options.Buffer.MaxBytes, options.Buffer.SegmentBytes, logger) is { } buffer)
            {
                if (_waitingForBuffer)
                {
                    logger.LogInformation("The other bridge let go of the disk buffer in {Directory}; this one takes over", options.Buffer.Directory);
                    _waitingForBuffer = false;
                }
                return buffer;
            }
            _waitingForBuffer = true;
            if (time.GetElapsedTime(since) >= told)
            {
                // Again every minute: a lock that is never let go (a host lost with its lease) needs an operator.
                logger.LogWarning("Another bridge holds the disk buffer in {Directory}; waiting for it to stop ({Waited:N0} s so far)",
                    options.Buffer.Directory, time.GetElapsedTime(since).TotalSeconds);
                told += TimeSpan.FromMinutes(1);
            }
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), time, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                _waitingForBuffer = false;
                return null;
            }
        }
    }

    /// <summary>Until Kafka has confirmed (or refused into the buffer) every record in flight, or <paramref name="until"/> is cancelled.</summary>
    private async Task NothingInFlightAsync(CancellationToken until)
    {
        while (Interlocked.Read(ref _inFlight) > 0 && !until.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), time, until).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>A buffer write or read failed: nothing more is taken, and the bridge stops with the error once in-flight work settles.</summary>
    private void BufferFailed(Exception e)
    {
        lock (_gate)
        {
            _bufferFailure ??= ExceptionDispatchInfo.Capture(new IOException(
                $"the disk buffer in {options.Buffer.Directory} failed ({e.Message}); the broker keeps every message not acknowledged", e));
        }
        logger.LogCritical(e, "The disk buffer in {Directory} failed; the bridge stops", options.Buffer.Directory);
        _ = _bufferFailed?.CancelAsync(); // not inline: this may run on librdkafka's delivery thread, or under the lock
    }

    private static bool IsBufferFault(Exception e) => e is IOException or UnauthorizedAccessException or ObjectDisposedException;

    private async Task PipelineAsync(ChannelReader<IncomingMessage> intake, SampleRouting routing, CancellationToken stopping)
    {
        try
        {
            while (await intake.WaitToReadAsync(stopping))
            {
                while (intake.TryRead(out var message))
                {
                    metrics.Received(message.Redelivered);
                    var record = routing.Route(message.Topic, message.Payload, time.GetUtcNow());
                    using (var publish = StartPublish(message, record))
                    {
                        await DispatchAsync(message, WithTraceParent(record, publish), stopping);
                    }
                    if (_awaitingFsync.Count >= GroupCommit || !intake.TryPeek(out _))
                    {
                        FsyncAndAcknowledge();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// The Kafka publish span (OpenTelemetry's messaging conventions), a child of the device's send
    /// span; a device that sends no trace context gets a new trace here.
    /// </summary>
    private Activity? StartPublish(IncomingMessage message, BufferedRecord record)
    {
        if (!WineTelemetry.Ingest.HasListeners())
        {
            return null; // no tracing: not even the tags are made
        }
        return WineTelemetry.Ingest.StartActivity(record.Topic == options.Kafka.Topic ? _publishSamples : $"publish {record.Topic}", ActivityKind.Producer,
            WineTelemetry.Parse(message.TraceParent),
            [
                new("messaging.system", "kafka"), new("messaging.operation.type", "publish"), new("messaging.destination.name", record.Topic),
                new("messaging.kafka.message.key", record.Key), new("wine.mqtt.topic", message.Topic),
                new("wine.dead_letter", record.Topic == options.Kafka.DeadLetterTopic),
            ]);
    }

    /// <summary>The record with the publish span's context as its <c>traceparent</c> header, kept through the disk buffer.</summary>
    private static BufferedRecord WithTraceParent(BufferedRecord record, Activity? publish) =>
        WineTelemetry.TraceParentOf(publish) is { } traceParent
            ? record with { Headers = [.. record.Headers, new(WineTelemetry.TraceParent, Encoding.UTF8.GetBytes(traceParent))] }
            : record;

    private async Task DispatchAsync(IncomingMessage message, BufferedRecord record, CancellationToken stopping)
    {
        while (true)
        {
            if (Volatile.Read(ref _buffering))
            {
                // Records still in flight either land in Kafka or join the buffer before this one.
                await NothingInFlightAsync(stopping);
                stopping.ThrowIfCancellationRequested();
            }
            lock (_gate)
            {
                if (!_buffering)
                {
                    // Under the lock, so a record is either produced before a timeout's purge (and purged) or buffered after it.
                    Interlocked.Increment(ref _inFlight); // the delivery callback decrements it outside the lock
                    try
                    {
                        _producer!.Produce(record.Topic, ToMessage(record), report => OnDelivered(message, record, report));
                        return;
                    }
                    catch (ProduceException<byte[]?, byte[]> e) when (e.Error.Code is ErrorCode.Local_QueueFull or ErrorCode.Local_Fatal)
                    {
                        Interlocked.Decrement(ref _inFlight);
                        StartBufferingLocked(e.Error.Reason);
                        continue;
                    }
                }
                else if (_bufferFailure is not null)
                {
                    return; // not acknowledged: the broker sends it again to the restarted bridge
                }
                else if (_buffer!.HasRoomFor(record))
                {
                    Buffer(message, record);
                    return;
                }
            }
            // Buffer full: hold this message unacknowledged until the drainer makes room.
            FsyncAndAcknowledge();
            logger.LogWarning("Disk buffer full ({Bytes} bytes); holding MQTT deliveries until Kafka drains it", _buffer!.Bytes);
            await Task.Delay(TimeSpan.FromMilliseconds(200), stopping);
        }
    }

    // Runs on librdkafka's delivery thread.
    private void OnDelivered(IncomingMessage message, BufferedRecord record, DeliveryReport<byte[]?, byte[]> report)
    {
        if (!report.Error.IsError)
        {
            metrics.Delivered(deadLetter: record.Topic == options.Kafka.DeadLetterTopic);
            _ = message.AcknowledgeAsync(logger);
        }
        else
        {
            bool purge;
            lock (_gate)
            {
                // In one step, so the drainer never finds the buffer empty and goes direct before this record is in it.
                StartBufferingLocked(report.Error.Reason);
                Buffer(message, record); // past the size bound if need be: this message is already taken
                purge = report.Error.Code == ErrorCode.Local_MsgTimedOut && !_purged;
                _purged |= purge;
            }
            if (purge)
            {
                PurgeBehindTimeout(_producer!);
            }
        }
        Interlocked.Decrement(ref _inFlight); // last: while it is above 0 the bridge does not go direct again
    }

    /// <summary>Appends the record (under the lock); its message is acknowledged after the next group fsync, never if the append fails.</summary>
    private void Buffer(IncomingMessage message, BufferedRecord record)
    {
        try
        {
            _buffer!.Append(record);
        }
        catch (Exception e) when (IsBufferFault(e))
        {
            BufferFailed(e);
            return;
        }
        _awaitingFsync.Add(message);
        metrics.Buffered();
    }

    /// <summary>
    /// A record timed out, and later ones of its batch wait behind it in the producer: once Kafka is back they would go
    /// straight in, ahead of it coming out of the buffer. Purged, they fail now and join the buffer behind it, in order.
    /// (The sequence gap this leaves makes librdkafka's idempotent producer start a new epoch, as a timeout does.)
    /// </summary>
    private void PurgeBehindTimeout(IProducer<byte[]?, byte[]> producer)
    {
        if (!producer.PurgeUnsent())
        {
            logger.LogWarning("Could not purge the Kafka producer's queue; samples behind a timed-out one may reach Kafka before it");
        }
    }

    private void StartBufferingLocked(string reason)
    {
        if (!_buffering)
        {
            logger.LogWarning("Kafka did not take a record ({Reason}); buffering on disk in {Directory}", reason, options.Buffer.Directory);
            _buffering = true;
        }
    }

    private void FsyncAndAcknowledge()
    {
        IncomingMessage[] safe;
        lock (_gate)
        {
            if (_awaitingFsync.Count == 0)
            {
                return;
            }
            try
            {
                _buffer!.Flush();
            }
            catch (Exception e) when (IsBufferFault(e))
            {
                _awaitingFsync.Clear(); // not on disk, so not acknowledged
                BufferFailed(e);
                return;
            }
            safe = [.. _awaitingFsync];
            _awaitingFsync.Clear();
        }
        foreach (var message in safe)
        {
            _ = message.AcknowledgeAsync(logger);
        }
    }

    private async Task DrainAsync(CancellationToken stopping)
    {
        try
        {
            await DrainBufferAsync(stopping);
        }
        catch (Exception e) when (IsBufferFault(e))
        {
            BufferFailed(e);
        }
    }

    /// <summary>Empties the buffer into Kafka in order; when it is empty the bridge goes direct again.</summary>
    private async Task DrainBufferAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            if (_producerFailed is { } reason)
            {
                await ReplaceProducerAsync(reason, stopping);
                continue;
            }
            FsyncAndAcknowledge(); // records that failed in flight join the buffer without an fsync each
            IReadOnlyList<(BufferedRecord Record, BufferPosition Next)> batch;
            lock (_gate)
            {
                batch = _buffer!.IsEmpty ? [] : _buffer.Peek(500);
                if (batch.Count == 0 && _buffering && _awaitingFsync.Count == 0 && Interlocked.Read(ref _inFlight) == 0)
                {
                    _buffering = false;
                    _purged = false;
                    logger.LogInformation("Disk buffer drained; forwarding directly again");
                }
            }
            if (batch.Count == 0)
            {
                await Task.Delay(100, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }
            var producer = _producer!;
            var deliveries = batch.Select(b => producer.ProduceAsync(b.Record.Topic, ToMessage(b.Record), CancellationToken.None)).ToList();
            var confirmed = 0;
            foreach (var delivery in deliveries)
            {
                try
                {
                    await delivery;
                    confirmed++;
                }
                catch (ProduceException<byte[]?, byte[]> e)
                {
                    if (e.Error.Code == ErrorCode.Local_Fatal)
                    {
                        _producerFailed ??= e.Error.Reason;
                    }
                    else if (e.Error.Code == ErrorCode.Local_MsgTimedOut)
                    {
                        PurgeBehindTimeout(producer); // the rest of the batch goes again from here, in order
                    }
                    logger.LogWarning("Kafka still not taking buffered records: {Reason}", e.Error.Reason);
                    break;
                }
            }
            if (confirmed > 0)
            {
                lock (_gate)
                {
                    _buffer!.Advance(batch[confirmed - 1].Next, confirmed);
                }
                foreach (var (record, _) in batch.Take(confirmed))
                {
                    metrics.Delivered(deadLetter: record.Topic == options.Kafka.DeadLetterTopic);
                }
            }
            if (confirmed < batch.Count)
            {
                await Task.WhenAll(deliveries.Select(d => d.ContinueWith(_ => { }, TaskScheduler.Default)));
                await Task.Delay(TimeSpan.FromSeconds(1), stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>
    /// After a fatal error (say the broker lost records the idempotent producer had sent) librdkafka's producer
    /// refuses every record for good. What it held is in the disk buffer by then; a new producer drains it.
    /// </summary>
    private async Task ReplaceProducerAsync(string reason, CancellationToken stopping)
    {
        lock (_gate)
        {
            StartBufferingLocked(reason);
        }
        await NothingInFlightAsync(stopping);
        if (stopping.IsCancellationRequested)
        {
            return;
        }
        IProducer<byte[]?, byte[]> failed;
        lock (_gate)
        {
            failed = _producer!;
            _producer = BuildProducer();
            _producerFailed = null;
        }
        failed.Dispose();
        metrics.ProducerReplaced();
        logger.LogError("Kafka producer failed for good ({Reason}); a new one sends the buffered records", reason);
    }

    private IProducer<byte[]?, byte[]> BuildProducer()
    {
        _ = LibRdKafka.Library; // one librdkafka copy for the process
        var config = SampleProducerConfig.Create(options.Kafka.BootstrapServers, options.Kafka.Settings, config =>
        {
            config.ClientId = options.Mqtt.SessionClientId;
            config.MessageTimeoutMs = options.Kafka.BufferAfterSeconds * 1000;
            config.LingerMs = 2;
            config.CompressionType = CompressionType.Lz4;
        });
        return new ProducerBuilder<byte[]?, byte[]>(config)
            .SetLogHandler((_, log) => logger.Log(log.Level <= SyslogLevel.Error ? LogLevel.Error : LogLevel.Debug, "librdkafka {Facility}: {Message}", log.Facility, log.Message))
            .SetErrorHandler((client, error) =>
            {
                if (error.IsFatal && ReferenceEquals(client, _producer))
                {
                    _producerFailed = error.Reason;
                }
                logger.LogWarning("Kafka: {Reason}", error.Reason);
            })
            .Build();
    }

    private static Message<byte[]?, byte[]> ToMessage(BufferedRecord record)
    {
        var headers = new Headers();
        foreach (var (name, value) in record.Headers)
        {
            headers.Add(name, value);
        }
        return new Message<byte[]?, byte[]>
        {
            Key = record.Key is null ? null : Encoding.UTF8.GetBytes(record.Key),
            Value = record.Value,
            Headers = headers,
        };
    }
}
