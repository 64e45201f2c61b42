using WineFunctions.Lake;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Sink;

/// <summary>A lake that is down for longer than a few retries: the sink waits for it, commits nothing meanwhile, and stores everything after.</summary>
[Collection(Collections.Librdkafka)]
public sealed class LakeOutageTests
{
    [Fact]
    public async Task A_lake_outage_pauses_the_sink_without_dead_lettering_and_every_sample_is_stored_once_the_lake_is_back()
    {
        await using var s3rver = await NodeServer.StartS3rverAsync("wine-lake");
        using var store = new S3ObjectStore(new S3LakeSettings
        {
            Bucket = "wine-lake",
            ServiceUrl = $"http://127.0.0.1:{s3rver.Port}",
            ForcePathStyle = true,
            AccessKey = "S3RVER",
            SecretKey = "S3RVER",
        });
        await using var harness = new SinkHarness(partitions: 2);
        var metrics = harness.StartSink(harness.Options(o => o with { FlushRecords = 50, FlushInterval = TimeSpan.FromSeconds(1) }), store);

        await harness.ProduceAsync(SinkHarness.Samples(100, "before"));
        await SinkHarness.WaitForAsync(async () => (await SinkHarness.StoredSampleIdsAsync(store)).Count >= 100, TimeSpan.FromSeconds(60), "the first samples");

        await s3rver.StopAsync();
        await harness.ProduceAsync(SinkHarness.Samples(200, "during"));
        // Longer than the store's retries (about 6 s) and than the group's max.poll.interval (7 s): the sink must wait, not give up.
        await Task.Delay(TimeSpan.FromSeconds(15));
        Assert.Equal(0, metrics.Counts.DeadLetters);
        await s3rver.StartAgainAsync();

        await SinkHarness.WaitForAsync(async () => (await SinkHarness.StoredSampleIdsAsync(store)).Distinct().Count() >= 300, TimeSpan.FromSeconds(90), "every sample after the outage");
        var stored = await SinkHarness.StoredSampleIdsAsync(store);
        Assert.Equal(300, stored.Distinct().Count());
        Assert.Equal(0, metrics.Counts.DeadLetters);
        await foreach (var letter in store.ListAsync(LakeLayout.DeadLetters, CancellationToken.None))
        {
            Assert.Fail($"dead letter {letter.Key} written for a lake that was only down");
        }
    }
}
