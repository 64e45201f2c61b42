using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using WineFunctions.Kafka;
using WineFunctions.Telemetry;

namespace WineFunctions.Sink;

/// <summary>
/// The bridge's dead-letter topic into the lake wherever the Functions host is absent (the local
/// stack, a container): what has arrived is kept by <see cref="BridgeDeadLetterArchive"/> and only
/// then committed, so a crash re-keeps (the same objects), never skips. Dead letters are rare: no
/// buffering beyond what one poll brings.
/// </summary>
public sealed partial class KafkaDeadLetterHost(SinkOptions options, BridgeDeadLetterArchive archive, ILogger<KafkaDeadLetterHost> logger)
{
    private const int MaxBatch = 500;
    private long _kept;

    /// <summary>Dead letters kept in the lake (and committed) so far.</summary>
    public long Kept => Interlocked.Read(ref _kept);

    public Task RunAsync(CancellationToken stopping) =>
        Task.Factory.StartNew(() => ConsumeAsync(stopping), stopping, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    private async Task ConsumeAsync(CancellationToken stopping)
    {
        _ = LibRdKafka.Library;
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(KafkaSinkHost.ConsumerSettings(options with { ConsumerGroup = $"{options.ConsumerGroup}-dead-letters" }))
            .SetErrorHandler((_, error) => LogKafka(error.Reason))
            .Build();
        consumer.Subscribe(options.DeadLetterTopic);
        var batch = new List<ConsumeResult<Ignore, byte[]>>();
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                if (Consume(consumer) is { IsPartitionEOF: false } result)
                {
                    batch.Add(result);
                    if (batch.Count < MaxBatch)
                    {
                        continue; // take what else has arrived before writing
                    }
                }
                await KeepAsync(consumer, batch, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        // A clean stop keeps what it holds; the lake being down then leaves it uncommitted for the next run.
        await KeepAsync(consumer, batch, CancellationToken.None);
        KafkaReads.LeaveAndClose(consumer, LogKafka);
    }

    private ConsumeResult<Ignore, byte[]>? Consume(IConsumer<Ignore, byte[]> consumer) =>
        KafkaReads.ConsumeOrWarn(consumer, TimeSpan.FromMilliseconds(200), LogKafka);

    private async Task KeepAsync(IConsumer<Ignore, byte[]> consumer, List<ConsumeResult<Ignore, byte[]>> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }
        try
        {
            await archive.WriteAsync([.. batch.Select(Record)], cancellationToken);
        }
        catch (Exception e) when (LakeUnavailableException.CanClear(e) && !cancellationToken.IsCancellationRequested)
        {
            // Kept and uncommitted: the same batch is written on the next round, the lake being back.
            LogLakeUnavailable(batch.Count, e.Message);
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            return;
        }
        Interlocked.Add(ref _kept, batch.Count);
        try
        {
            consumer.Commit([.. batch.GroupBy(r => r.TopicPartition).Select(p => new TopicPartitionOffset(p.Key, p.Max(r => r.Offset.Value) + 1))]);
        }
        catch (KafkaException e)
        {
            // A rebalance took the partition, say: its next owner keeps the same records again, under the same names.
            LogKafka(e.Error.Reason);
        }
        batch.Clear();
    }

    private static SinkRecord Record(ConsumeResult<Ignore, byte[]> result) =>
        new(result.Topic, result.Partition.Value, result.Offset.Value, result.Message.Value ?? [],
            KafkaReads.Header(result, WineTelemetry.TraceParent), KafkaReads.Header(result, BridgeDeadLetterArchive.ReasonsHeader));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka (dead-letter topic): {Reason}")]
    private partial void LogKafka(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} dead letters not kept yet, the lake refused them for now: {Reason}")]
    private partial void LogLakeUnavailable(int count, string reason);
}
