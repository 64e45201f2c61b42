using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using WineFunctions.Kafka;
using WineFunctions.Lake;
using WineFunctions.Sink;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Sink;

/// <summary>The bridge's dead-letter topic into the lake where no Functions host runs (wine up, wine sink), on the Kafka mock cluster.</summary>
[Collection(Collections.Librdkafka)]
public sealed class KafkaDeadLetterHostTests
{
    [Fact]
    public async Task Dead_letters_are_kept_even_when_the_topic_appears_after_the_host_started()
    {
        await using var lake = await LakeStore.FolderAsync();
        using var kafka = KafkaMockCluster.Start(3);
        var options = new SinkOptions { BootstrapServers = kafka.BootstrapServers, DeadLetterTopic = "wine.samples.dlq", ConsumerGroup = "test-dead-letters" };
        var host = new KafkaDeadLetterHost(options, new BridgeDeadLetterArchive(lake.Store, NullLogger<BridgeDeadLetterArchive>.Instance),
            NullLogger<KafkaDeadLetterHost>.Instance);
        using var stop = new CancellationTokenSource();
        var running = host.RunAsync(stop.Token);
        // Subscribed to a topic nobody has created yet: librdkafka reports it unknown, and the host must keep going.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(running.IsCompleted, running.Exception?.ToString());

        kafka.CreateTopic("wine.samples.dlq", 1, 3);
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
        {
            await producer.ProduceAsync("wine.samples.dlq", new Message<string, byte[]>
            {
                Key = "wh-01",
                Value = "{\"sampleId\":\"s-1\",\"pH\":9.5}"u8.ToArray(),
                Headers = [new Header(BridgeDeadLetterArchive.ReasonsHeader, Encoding.UTF8.GetBytes("""[{"field":"pH","code":"OutOfRange","message":"9.5 is outside 2-5"}]"""))],
            });
        }
        await SinkHarness.WaitForAsync(() => Task.FromResult(host.Kept == 1), TimeSpan.FromSeconds(60), "keeping the dead letter");
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromMinutes(1));

        var kept = Assert.Single(await lake.Store.ListAsync(LakeLayout.BridgeDeadLetters, CancellationToken.None).ToListAsync());
        Assert.Equal(LakeLayout.BridgeDeadLetter("wine.samples.dlq", 0, 0), kept.Key);
        var text = Encoding.UTF8.GetString((await lake.Store.GetAsync(kept.Key, CancellationToken.None))!.Content);
        Assert.Contains("pH: 9.5 is outside 2-5", text);
    }
}
