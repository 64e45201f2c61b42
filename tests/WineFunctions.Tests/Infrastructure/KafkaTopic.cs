using Confluent.Kafka;

namespace WineFunctions.Tests.Infrastructure;

/// <summary>Reads a topic from the beginning with a fresh consumer group, as any downstream reader would.</summary>
internal static class KafkaTopic
{
    public static List<ConsumeResult<byte[]?, byte[]>> Read(string bootstrapServers, string topic,
        Func<List<ConsumeResult<byte[]?, byte[]>>, bool> done, TimeSpan timeout)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "test-reader-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(topic);
        var records = new List<ConsumeResult<byte[]?, byte[]>>();
        var deadline = DateTime.UtcNow + timeout;
        while (!done(records) && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } record)
            {
                records.Add(record);
            }
        }
        // Then whatever else is there (duplicates, say) until the topic has been quiet for a second.
        while (consumer.Consume(TimeSpan.FromSeconds(1)) is { IsPartitionEOF: false } late)
        {
            records.Add(late);
        }
        consumer.Close();
        return records;
    }

    public static string Header(this ConsumeResult<byte[]?, byte[]> record, string name) =>
        System.Text.Encoding.UTF8.GetString(record.Message.Headers.GetLastBytes(name));
}
