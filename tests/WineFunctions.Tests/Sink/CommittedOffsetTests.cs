using Confluent.Kafka;
using WineFunctions.Lake;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Sink;

/// <summary>A group coordinator that refuses to tell the committed offsets, or is away, against the Kafka mock cluster: the sink asks again and loses nothing.</summary>
[Collection(Collections.Librdkafka)]
public sealed class CommittedOffsetTests
{
    private const short OffsetFetch = 9;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_sink_refused_the_committed_offsets_of_its_new_partitions_resumes_there_and_still_drops_republished_samples()
    {
        await using var lake = await LakeStore.FolderAsync();
        await using var harness = new SinkHarness();
        var options = harness.Options(o => o with { FlushRecords = 50 });
        await harness.ProduceAsync(SinkHarness.Samples(300, "first"));
        harness.StartSink(options, lake.Store);
        await WaitForStoredAsync(lake.Store, 300);
        await harness.StopSinksAsync();

        // The last samples again (a bridge republishing after a lost acknowledgement), then new ones.
        await harness.ProduceAsync(SinkHarness.Samples(300, "first").TakeLast(20).Concat(SinkHarness.Samples(300, "second")));
        harness.Kafka.FailNextRequests(OffsetFetch, ErrorCode.GroupAuthorizationFailed, ErrorCode.GroupAuthorizationFailed);
        harness.StartSink(options, lake.Store);
        await WaitForStoredAsync(lake.Store, 600);
        await harness.StopSinksAsync();

        Assert.Equal(600, (await SinkHarness.StoredSampleIdsAsync(lake.Store)).Count);
    }

    [Fact]
    public async Task A_sink_refused_the_committed_offset_before_a_run_waits_and_stores_every_sample_once()
    {
        await using var lake = await LakeStore.FolderAsync();
        await using var harness = new SinkHarness(partitions: 2);
        var metrics = harness.StartSink(harness.Options(o => o with { FlushRecords = 50, FlushInterval = TimeSpan.FromSeconds(1) }), lake.Store);
        await harness.ProduceAsync(SinkHarness.Samples(100, "before"));
        await WaitForStoredAsync(lake.Store, 100);

        // Each new run asks for the committed offset before it claims its objects.
        harness.Kafka.FailNextRequests(OffsetFetch, ErrorCode.GroupAuthorizationFailed, ErrorCode.GroupAuthorizationFailed, ErrorCode.GroupAuthorizationFailed);
        await harness.ProduceAsync(SinkHarness.Samples(200, "after"));
        await WaitForStoredAsync(lake.Store, 300);
        await harness.StopSinksAsync();

        Assert.Equal(300, (await SinkHarness.StoredSampleIdsAsync(lake.Store)).Count);
        Assert.Equal(0, metrics.Counts.DeadLetters);
    }

    [Fact]
    public async Task A_sink_whose_group_coordinator_is_down_for_20_s_stores_every_sample_once_after()
    {
        await using var lake = await LakeStore.FolderAsync();
        await using var harness = new SinkHarness(partitions: 2);
        // The partitions on broker 1 and the group on broker 2, so that taking broker 2 away leaves fetching and producing alone.
        harness.Kafka.SetPartitionLeader(SinkHarness.Topic, 0, 1);
        harness.Kafka.SetPartitionLeader(SinkHarness.Topic, 1, 1);
        var options = harness.Options(o => o with { FlushRecords = 50, FlushInterval = TimeSpan.FromSeconds(1) });
        harness.Kafka.SetGroupCoordinator(options.ConsumerGroup, 2);
        var metrics = harness.StartSink(options, lake.Store);
        await harness.ProduceAsync(SinkHarness.Samples(100, "before"));
        await WaitForStoredAsync(lake.Store, 100);

        harness.Kafka.SetBrokerDown(2);
        await harness.ProduceAsync(SinkHarness.Samples(200, "during"));
        // Longer than one committed-offset read (10 s) and than the group's session timeout (6 s).
        await Task.Delay(TimeSpan.FromSeconds(20));
        harness.Kafka.SetBrokerUp(2);

        await WaitForStoredAsync(lake.Store, 300);
        await harness.StopSinksAsync();
        Assert.Equal(300, (await SinkHarness.StoredSampleIdsAsync(lake.Store)).Count);
        Assert.Equal(0, metrics.Counts.DeadLetters);
    }

    private static Task WaitForStoredAsync(IObjectStore store, int samples) =>
        SinkHarness.WaitForAsync(async () => (await SinkHarness.StoredSampleIdsAsync(store)).Distinct().Count() >= samples, Patience, $"{samples} samples in the lake");
}
