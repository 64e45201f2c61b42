using Confluent.Kafka;

namespace WineFunctions.Kafka;

/// <summary>How every producer of samples writes to Kafka: the bridge and <c>wine sink replay</c>.</summary>
public static class SampleProducerConfig
{
    /// <summary>
    /// Idempotent, acknowledged by all replicas, partitioned by batch as the Java client does (so every
    /// Kafka client agrees which partition a batch is in); <paramref name="tune"/> adds the caller's
    /// own, and the operator's <paramref name="settings"/> win over both.
    /// </summary>
    public static ProducerConfig Create(string bootstrapServers, IReadOnlyDictionary<string, string> settings, Action<ProducerConfig>? tune = null)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            Partitioner = Partitioner.Murmur2Random,
        };
        tune?.Invoke(config);
        foreach (var (name, value) in settings)
        {
            config.Set(name, value);
        }
        return config;
    }
}
