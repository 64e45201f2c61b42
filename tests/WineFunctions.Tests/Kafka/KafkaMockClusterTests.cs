using Confluent.Kafka;
using WineFunctions.Kafka;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Kafka;

[Collection(Collections.Librdkafka)]
public sealed class KafkaMockClusterTests
{
    [Fact]
    public async Task Messages_round_trip_through_the_mock_cluster_to_a_consumer_group_and_it_shuts_down_cleanly()
    {
        var threadsBefore = KafkaMockCluster.NativeThreadCount();
        var cluster = KafkaMockCluster.Start(brokers: 3);
        Assert.Equal(3, cluster.BootstrapServers.Split(',').Length);
        Assert.True(KafkaMockCluster.NativeThreadCount() > threadsBefore, "the mock brokers run librdkafka threads");
        cluster.CreateTopic("round.trip", partitions: 4, replicationFactor: 3);

        var sent = Enumerable.Range(0, 200).Select(i => (Key: $"batch-{i % 10}", Value: $"sample-{i}")).ToList();
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig
               {
                   BootstrapServers = cluster.BootstrapServers,
                   EnableIdempotence = true,
                   Acks = Acks.All,
               }).Build())
        {
            foreach (var (key, value) in sent)
            {
                var delivery = await producer.ProduceAsync("round.trip", new Message<string, string> { Key = key, Value = value });
                Assert.Equal(PersistenceStatus.Persisted, delivery.Status);
            }
        }

        // Two members of one group share the partitions and together read everything. A commit that meets
        // the rebalance the second member's arrival starts is refused; its record comes again, as Kafka promises.
        var received = new List<ConsumeResult<string, string>>();
        var consumers = Enumerable.Range(0, 2).Select(_ => new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = "round-trip-group",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build()).ToList();
        try
        {
            consumers.ForEach(c => c.Subscribe("round.trip"));
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (received.DistinctBy(r => r.Message.Value).Count() < sent.Count && DateTime.UtcNow < deadline)
            {
                foreach (var consumer in consumers)
                {
                    if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false } result)
                    {
                        received.Add(result);
                        try
                        {
                            consumer.Commit(result);
                        }
                        catch (KafkaException e) when (e.Error.Code is ErrorCode.RebalanceInProgress or ErrorCode.IllegalGeneration)
                        {
                        }
                    }
                }
            }
            Assert.Equal(2, consumers.Count(c => c.Assignment.Count > 0));
        }
        finally
        {
            consumers.ForEach(c =>
            {
                c.Close();
                c.Dispose();
            });
        }

        Assert.Equal(sent.Select(s => s.Value).Order(), received.Select(r => r.Message.Value).Distinct().Order());
        // One key, one partition, in order: what the bridge's batch keys rely on.
        foreach (var byKey in received.GroupBy(r => r.Message.Key))
        {
            Assert.Single(byKey.Select(r => r.Partition.Value).Distinct());
            var values = byKey.OrderBy(r => r.Offset.Value).Select(r => int.Parse(r.Message.Value["sample-".Length..])).ToList();
            Assert.Equal(values.Order(), values);
        }

        cluster.Dispose();
        var deadlineForThreads = DateTime.UtcNow.AddSeconds(10);
        while (KafkaMockCluster.NativeThreadCount() > threadsBefore && DateTime.UtcNow < deadlineForThreads)
        {
            await Task.Delay(50);
        }
        Assert.Equal(threadsBefore, KafkaMockCluster.NativeThreadCount());
    }

    [Fact]
    public void Creating_a_topic_that_exists_is_reported()
    {
        using var cluster = KafkaMockCluster.Start(brokers: 1);
        cluster.CreateTopic("twice", 1);
        var error = Assert.Throws<InvalidOperationException>(() => cluster.CreateTopic("twice", 1));
        Assert.Contains("create topic twice", error.Message);
    }
}
