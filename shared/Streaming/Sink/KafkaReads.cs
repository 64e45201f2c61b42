using System.Text;
using Confluent.Kafka;

namespace WineFunctions.Sink;

/// <summary>What both consumer hosts (the samples' and the dead letters') do with a consumer: take a record, read a header, leave.</summary>
internal static class KafkaReads
{
    /// <summary>At most 10 s of polling for the group to take the partitions back when leaving; Close does the rest.</summary>
    private const int LeavePolls = 100;

    /// <summary>The next record, or none within <paramref name="wait"/>; a passing error (a topic not there yet, a broker away) is reported and also none.</summary>
    public static ConsumeResult<Ignore, byte[]>? ConsumeOrWarn(IConsumer<Ignore, byte[]> consumer, TimeSpan wait, Action<string> warn)
    {
        try
        {
            return consumer.Consume(wait);
        }
        catch (ConsumeException e) when (!e.Error.IsFatal)
        {
            // librdkafka keeps trying, and so does the host.
            warn(e.Error.Reason);
            return null;
        }
    }

    /// <summary>A header's last value as text, if the record has it.</summary>
    public static string? Header(ConsumeResult<Ignore, byte[]> result, string name) =>
        result.Message.Headers?.TryGetLastBytes(name, out var value) == true ? Encoding.UTF8.GetString(value) : null;

    /// <summary>
    /// Leaves the group, then closes. A rebalance the group began while the host was busy (a write that
    /// outlasted max.poll.interval.ms) waits in the consumer's queue. Served only inside Close, after the
    /// group has ended, its unassign waits for a reply that never comes and Close never returns (librdkafka
    /// #4884). Leaving first serves every such rebalance here, while the group still replies.
    /// </summary>
    public static void LeaveAndClose(IConsumer<Ignore, byte[]> consumer, Action<string> warn)
    {
        // Paused, the partitions hand out no record in place of a rebalance; what is not committed is read again by the next owner.
        consumer.Pause(consumer.Assignment);
        consumer.Unsubscribe();
        for (var poll = 0; poll < LeavePolls && consumer.Assignment.Count > 0; poll++)
        {
            ConsumeOrWarn(consumer, TimeSpan.FromMilliseconds(100), warn);
        }
        consumer.Close();
    }
}
