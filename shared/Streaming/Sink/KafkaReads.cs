using System.Text;
using Confluent.Kafka;

namespace WineFunctions.Sink;

/// <summary>What both consumer hosts (the samples' and the dead letters') do with a consumer: take a record, read a header.</summary>
internal static class KafkaReads
{
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
}
