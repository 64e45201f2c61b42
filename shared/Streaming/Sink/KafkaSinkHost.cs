using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using WineFunctions.Kafka;
using WineFunctions.Lake;

using WineFunctions.Telemetry;

namespace WineFunctions.Sink;

/// <summary>
/// Drives the sink wherever the Functions host is absent (the local stack, a container): a
/// Confluent.Kafka consumer group member that buffers each owned partition, writes a buffer as
/// lake objects when it reaches <see cref="SinkOptions.FlushRecords"/> or <see cref="SinkOptions.FlushBytes"/>, or
/// <see cref="SinkOptions.FlushInterval"/> after its first record (checked even when nothing arrives), or when
/// all buffers together pass <see cref="SinkOptions.MaxBufferedBytes"/>, and commits the offsets only after
/// the objects are stored. Store failures are retried with back-off; a run that keeps failing goes to
/// the dead-letter prefix with the reason, and is never skipped in silence.
/// </summary>
public sealed class KafkaSinkHost(SinkOptions options, IObjectStore store, TimeProvider time, ILogger<KafkaSinkHost> logger, SinkMetrics metrics)
{
    private readonly Dictionary<int, PartitionBuffer> _partitions = [];
    private readonly RunStore _runs = new(store, options.Format, time, logger);

    private static readonly TimeSpan SweepInterval = TimeSpan.FromMilliseconds(100);
    /// <summary>One read of committed offsets waits at most this long (librdkafka retries within it), so a stop waits no longer.</summary>
    private static readonly TimeSpan CommittedReadTimeout = TimeSpan.FromSeconds(10);
    private long _bufferedBytes, _bufferedRecords;

    /// <summary>Raised after a run's objects are stored and its offsets committed (the local stack's stand-in for storage events).</summary>
    public event Action<RunResult>? RunStored;

    public Task RunAsync(CancellationToken stopping) =>
        Task.Factory.StartNew(() => ConsumeAsync(stopping), stopping, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    private async Task ConsumeAsync(CancellationToken stopping)
    {
        var problems = options.Problems();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Sink settings: " + string.Join("; ", problems));
        }
        _ = LibRdKafka.Library;
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(ConsumerSettings(options))
            .SetPartitionsAssignedHandler((c, assigned) => Assign(c, assigned, stopping))
            .SetPartitionsRevokedHandler((_, revoked) => Drop(revoked.Select(r => r.Partition.Value)))
            .SetPartitionsLostHandler((_, lost) => Drop(lost.Select(l => l.Partition.Value)))
            .SetErrorHandler((_, error) => logger.LogWarning("Kafka: {Reason}", error.Reason))
            .Build();
        consumer.Subscribe(options.Topic);
        var lastSweep = time.GetTimestamp();
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                if (Consume(consumer) is { IsPartitionEOF: false } result
                    && Accept(result) is { } partition && IsFull(_partitions[partition]))
                {
                    await FlushAsync(consumer, partition, stopping);
                }
                await KeepWithinMemoryAsync(consumer, stopping);
                // Time-based flushes need no new record: a quiet partition is checked here too.
                if (time.GetElapsedTime(lastSweep) >= SweepInterval)
                {
                    lastSweep = time.GetTimestamp();
                    await FlushDueAsync(consumer, stopping);
                    ReportLag(consumer, fromBrokers: false);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        // A clean stop writes what it holds, so nothing waits for the next owner; with the lake down it
        // leaves it uncommitted for the next owner instead of waiting.
        foreach (var partition in _partitions.Keys.ToList())
        {
            try
            {
                await FlushOnceAsync(consumer, partition, CancellationToken.None);
            }
            catch (Exception e) when (e is LakeUnavailableException or KafkaException)
            {
                logger.LogWarning("Stopping with {Topic}/{Partition} unstored and uncommitted: {Reason}", options.Topic, partition, e.Message);
            }
        }
        KafkaReads.LeaveAndClose(consumer, reason => logger.LogWarning("Kafka: {Reason}", reason));
    }

    private ConsumeResult<Ignore, byte[]>? Consume(IConsumer<Ignore, byte[]> consumer) =>
        KafkaReads.ConsumeOrWarn(consumer, TimeSpan.FromMilliseconds(100), reason => logger.LogWarning("Kafka: {Reason}", reason));

    /// <summary>The consumer's librdkafka settings (public so the benchmark's plain consumer reads with the same ones).</summary>
    public static ConsumerConfig ConsumerSettings(SinkOptions options)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = options.ConsumerGroup,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
            // librdkafka's own prefetch queue counts against the same memory bound, whatever the partition count.
            QueuedMaxMessagesKbytes = (int)Math.Max(1024, options.MaxBufferedBytes / 2 / 1024),
            FetchMaxBytes = (int)Math.Min(int.MaxValue, Math.Max(1 << 20, options.MaxBufferedBytes / 4)),
            FetchWaitMaxMs = 100,
            // Once a full prefetch queue pauses fetching, librdkafka waits a second by default; the
            // sink drains the queue a run at a time, so it should fetch again as soon as there is room.
            FetchQueueBackoffMs = 10,
        };
        foreach (var (name, value) in options.Settings)
        {
            config.Set(name, value);
        }
        return config;
    }

    private List<TopicPartitionOffset> Assign(IConsumer<Ignore, byte[]> consumer, List<TopicPartition> assigned, CancellationToken stopping)
    {
        if (ReadCommitted(consumer, assigned, stopping) is not { } committed)
        {
            // Stopping first: the partitions are taken without buffers (as below), and their next owner starts at the committed offsets.
            return [.. assigned.Select(p => new TopicPartitionOffset(p, Offset.Unset))];
        }
        var starts = new List<TopicPartitionOffset>();
        foreach (var position in committed)
        {
            var partition = position.Partition.Value;
            if (position.Offset.IsSpecial)
            {
                _partitions[partition] = new PartitionBuffer(options.DuplicateWindow);
                starts.Add(new TopicPartitionOffset(position.TopicPartition, Offset.Beginning));
                continue;
            }
            // Re-read the records just before the committed offset: they rebuild the duplicate window.
            var resume = position.Offset.Value;
            starts.Add(new TopicPartitionOffset(position.TopicPartition, Math.Max(0, resume - options.DuplicateWindow)));
            SinkClaim? claim;
            try
            {
                claim = ReadClaimOrNone(partition, resume, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Stopping: the partition is taken without a buffer, so nothing of it is stored or committed here
                // and the next owner starts at its committed offset. Thrown out of this handler, the cancellation
                // would leave the assignment unfinished, and the consumer could then never close.
                continue;
            }
            _partitions[partition] = new PartitionBuffer(options.DuplicateWindow) { ReplayUntil = resume, Claim = claim };
            logger.LogInformation("Sink owns {Topic}/{Partition} from offset {Offset}", options.Topic, partition, resume);
        }
        metrics.Owns(_partitions.Count);
        return starts;
    }

    /// <summary>
    /// The group's committed offsets of newly assigned partitions, read again with back-off while its
    /// coordinator cannot answer: without them the duplicate windows cannot be rebuilt, so the new
    /// partitions wait (and the rest with them, this being the consumer's own thread); none when stopping first.
    /// </summary>
    private List<TopicPartitionOffset>? ReadCommitted(IConsumer<Ignore, byte[]> consumer, List<TopicPartition> assigned, CancellationToken stopping)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return consumer.Committed(assigned, CommittedReadTimeout);
            }
            catch (KafkaException e)
            {
                var wait = Backoff(attempt);
                logger.LogError("Committed offsets of {Topic} partitions {Partitions} not read: {Reason}; reading them again in {Wait}",
                    options.Topic, string.Join(",", assigned.Select(p => p.Partition.Value)), e.Error.Reason, wait);
                try
                {
                    Task.Delay(wait, time, stopping).GetAwaiter().GetResult();
                }
                catch (OperationCanceledException)
                {
                    return null;
                }
            }
        }
    }

    private static TimeSpan Backoff(int attempt) => TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, attempt)));

    private void Drop(IEnumerable<int> partitions)
    {
        // Nothing of a lost partition was committed past what is stored: the next owner starts there.
        foreach (var partition in partitions)
        {
            _partitions.Remove(partition);
        }
        metrics.Owns(_partitions.Count);
        ReportBuffers();
    }

    /// <summary>Buffers a record; returns its partition when it joined a buffer (not when it only rebuilt the duplicate window).</summary>
    private int? Accept(ConsumeResult<Ignore, byte[]> result)
    {
        if (!_partitions.TryGetValue(result.Partition.Value, out var buffer))
        {
            return null;
        }
        var record = new SinkRecord(result.Topic, result.Partition.Value, result.Offset.Value, result.Message.Value ?? [],
            KafkaReads.Header(result, WineTelemetry.TraceParent));
        if (record.Offset < buffer.ReplayUntil)
        {
            if (Samples.SampleValidator.ValidateStored(record.Value).Sample is { } sample)
            {
                buffer.Recent.Add(sample.SampleId);
            }
            return null;
        }
        buffer.Add(record, time.GetTimestamp());
        _bufferedBytes += record.Value.Length;
        metrics.Buffered(++_bufferedRecords, _bufferedBytes);
        return record.Partition;
    }

    /// <summary>
    /// Each owned partition's records not yet in the lake: the broker's high watermark less the first
    /// buffered offset, or the fetch position when nothing is buffered. The watermark is the one the
    /// last fetch brought (no request) unless <paramref name="fromBrokers"/>, when fetching has stopped.
    /// </summary>
    private void ReportLag(IConsumer<Ignore, byte[]> consumer, bool fromBrokers)
    {
        var lag = new Dictionary<int, long>();
        foreach (var (partition, buffer) in _partitions)
        {
            var topicPartition = new TopicPartition(options.Topic, partition);
            Offset high;
            try
            {
                high = fromBrokers ? consumer.QueryWatermarkOffsets(topicPartition, TimeSpan.FromSeconds(2)).High : consumer.GetWatermarkOffsets(topicPartition).High;
            }
            catch (KafkaException)
            {
                continue; // a broker away: the last figure stands
            }
            var next = buffer.Records.Count > 0 ? new Offset(buffer.Records[0].Offset) : consumer.Position(topicPartition);
            if (high != Offset.Unset && next != Offset.Unset)
            {
                lag[partition] = Math.Max(0, high.Value - next.Value);
            }
        }
        metrics.Lag(lag);
    }

    private bool IsFull(PartitionBuffer buffer) =>
        !buffer.AwaitingClaimedRun && (buffer.Records.Count >= options.FlushRecords || buffer.Bytes >= options.FlushBytes);

    /// <summary>Past the memory bound, the largest buffer is written early.</summary>
    private async Task KeepWithinMemoryAsync(IConsumer<Ignore, byte[]> consumer, CancellationToken stopping)
    {
        while (_bufferedBytes >= options.MaxBufferedBytes
               && _partitions.Where(p => !p.Value.AwaitingClaimedRun && p.Value.Records.Count > 0).MaxBy(p => p.Value.Bytes) is { Value: not null } largest)
        {
            var before = _bufferedBytes;
            await FlushAsync(consumer, largest.Key, stopping);
            if (_bufferedBytes == before)
            {
                break; // its claimed run is still arriving
            }
        }
    }

    private async Task FlushDueAsync(IConsumer<Ignore, byte[]> consumer, CancellationToken stopping)
    {
        foreach (var (partition, buffer) in _partitions.ToList())
        {
            if (buffer.Records.Count == 0 || buffer.AwaitingClaimedRun)
            {
                continue;
            }
            if (buffer.Claim is { } claim && buffer.Records[0].Offset == claim.Start || IsFull(buffer)
                || time.GetElapsedTime(buffer.FirstArrival) >= options.FlushInterval)
            {
                await FlushAsync(consumer, partition, stopping);
            }
        }
        ReportBuffers();
    }

    /// <summary>The claim found at assignment; none when the lake cannot be read now (the run's claim is read again before it is written).</summary>
    private SinkClaim? ReadClaimOrNone(int partition, long resume, CancellationToken stopping)
    {
        try
        {
            return SinkClaim.ReadAsync(store, options.Topic, partition, resume, stopping).GetAwaiter().GetResult();
        }
        catch (Exception e) when (LakeUnavailableException.CanClear(e))
        {
            logger.LogWarning("Claim of {Topic}/{Partition} at {Offset} not read now: {Reason}", options.Topic, partition, resume, e.Message);
            return null;
        }
    }

    /// <summary>
    /// Stores a partition's run; while the lake is unavailable, or the group cannot tell the committed
    /// offset the run's claim depends on, waits with back-off for as long as it lasts, its partitions
    /// paused (the consumer keeps polling, so the group keeps it), buffers bounded as they are, nothing
    /// committed and nothing dead-lettered.
    /// </summary>
    private async Task FlushAsync(IConsumer<Ignore, byte[]> consumer, int partition, CancellationToken stopping)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await FlushOnceAsync(consumer, partition, stopping);
                return;
            }
            catch (Exception e) when (e is LakeUnavailableException or KafkaException)
            {
                var wait = Backoff(attempt);
                if (e is KafkaException kafka)
                {
                    // Without the committed offset the sink cannot tell whether another owner has stored the run already.
                    logger.LogError("Committed offset of {Topic}/{Partition} not read: {Reason}; it waits {Wait} with its partitions paused, nothing stored",
                        options.Topic, partition, kafka.Error.Reason, wait);
                }
                else
                {
                    logger.LogError("{Reason}; {Topic}/{Partition} waits {Wait} with its partitions paused, nothing committed", e.Message, options.Topic, partition, wait);
                    metrics.LakeUnavailable();
                }
                await WaitPausedAsync(consumer, wait, stopping);
                if (!_partitions.ContainsKey(partition))
                {
                    return; // lost meanwhile: its next owner stores the run
                }
            }
        }
    }

    /// <summary>Polls without taking records for <paramref name="wait"/>: the group keeps this member, no buffer grows.</summary>
    private async Task WaitPausedAsync(IConsumer<Ignore, byte[]> consumer, TimeSpan wait, CancellationToken stopping)
    {
        // librdkafka keeps a partition paused through losing it and being given it again, so everything paused
        // here is resumed here, owned now or not; resuming only the current assignment left such a partition paused for good.
        var paused = new HashSet<TopicPartition>(consumer.Assignment);
        consumer.Pause(paused);
        // Paused partitions fetch nothing, so the cached high watermarks stand still: ask the brokers.
        ReportLag(consumer, fromBrokers: true);
        var started = time.GetTimestamp();
        while (time.GetElapsedTime(started) < wait)
        {
            stopping.ThrowIfCancellationRequested();
            if (Consume(consumer) is { IsPartitionEOF: false } unexpected)
            {
                // A partition assigned meanwhile is not paused yet: give the record back and pause it too.
                consumer.Seek(unexpected.TopicPartitionOffset);
                consumer.Pause([unexpected.TopicPartition]);
                paused.Add(unexpected.TopicPartition);
            }
            await Task.Yield();
        }
        consumer.Resume(paused);
    }

    private async Task FlushOnceAsync(IConsumer<Ignore, byte[]> consumer, int partition, CancellationToken stopping)
    {
        var buffer = _partitions[partition];
        if (await ClaimRunAsync(consumer, partition, buffer, stopping) is not { } claim)
        {
            return;
        }
        var run = buffer.Records.GetRange(0, buffer.Records.TakeWhile(r => r.Offset <= claim.End).Count());
        var started = time.GetTimestamp();
        var result = await _runs.StoreAsync(run, buffer.Recent, stopping);
        var took = time.GetElapsedTime(started);
        try
        {
            consumer.Commit([new TopicPartitionOffset(options.Topic, partition, claim.End + 1)]);
            metrics.Committed();
            await SinkClaim.ForgetBeforeAsync(store, options.Topic, partition, claim.Start, stopping);
        }
        catch (Exception e) when (LakeUnavailableException.CanClear(e))
        {
            // Housekeeping only: the old claims are forgotten after a later run.
            logger.LogWarning("Old claims of {Topic}/{Partition} not forgotten now: {Reason}", options.Topic, partition, e.Message);
        }
        catch (KafkaException e)
        {
            // Typically a rebalance took the partition: its next owner finds the claim and writes this same run.
            logger.LogWarning("Commit of {Topic}/{Partition} at {Offset} failed: {Reason}", options.Topic, partition, claim.End + 1, e.Error.Reason);
        }
        foreach (var sampleId in result.SampleIds)
        {
            buffer.Recent.Add(sampleId);
        }
        buffer.RemoveFirst(run.Count);
        buffer.Claim = null;
        // Buffers first: a reader of the counts never sees these samples both buffered and stored.
        ReportBuffers();
        metrics.Stored(result, took);
        RunStored?.Invoke(result);
    }

    /// <summary>
    /// The claimed run the buffer may write now, or null: when its claimed run has not all arrived,
    /// or when the group has already committed past it (this sink lost the partition and another
    /// owner stored the run; writing it again could only shrink that owner's objects).
    /// </summary>
    private async Task<SinkClaim?> ClaimRunAsync(IConsumer<Ignore, byte[]> consumer, int partition, PartitionBuffer buffer, CancellationToken stopping)
    {
        while (buffer.Records.Count > 0)
        {
            var start = buffer.Records[0].Offset;
            if (buffer.Claim?.Start != start)
            {
                buffer.Claim = await _runs.RetryAsync(token => SinkClaim.ReadAsync(store, options.Topic, partition, start, token), stopping);
            }
            if (buffer.Claim is null)
            {
                var committed = consumer.Committed([new TopicPartition(options.Topic, partition)], CommittedReadTimeout)[0].Offset;
                if (!committed.IsSpecial && committed.Value > start)
                {
                    logger.LogWarning("{Topic}/{Partition} is already stored up to {Offset}; dropping what this sink held before it", options.Topic, partition, committed.Value);
                    buffer.DropBefore(committed.Value);
                    continue;
                }
                buffer.Claim = await _runs.ClaimAsync(options.Topic, partition, start, buffer.Records[^1].Offset, stopping);
            }
            return buffer.Records[^1].Offset >= buffer.Claim.End ? buffer.Claim : null;
        }
        return null;
    }

    private void ReportBuffers()
    {
        _bufferedBytes = _partitions.Values.Sum(b => b.Bytes);
        _bufferedRecords = _partitions.Values.Sum(b => (long)b.Records.Count);
        metrics.Buffered(_bufferedRecords, _bufferedBytes);
    }
}
