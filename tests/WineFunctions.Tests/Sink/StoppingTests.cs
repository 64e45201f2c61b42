using Microsoft.Extensions.Logging.Abstractions;
using WineFunctions.Lake;
using WineFunctions.Sink;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Sink;

/// <summary>Stopping a sink the group took for dead, against the Kafka mock cluster.</summary>
[Collection(Collections.Librdkafka)]
public sealed class StoppingTests
{
    private const int Groups = 8;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_sink_that_stalled_past_the_poll_interval_stops_when_asked_and_loses_nothing()
    {
        // Whether librdkafka serves the stalled sink's stale rebalance before or after its group ends is a race
        // (about one close in three hung before the sink left the group first), so eight groups try it at once.
        await using var harness = new SinkHarness();
        await harness.ProduceAsync(SinkHarness.Samples(600));
        await Task.WhenAll(Enumerable.Range(0, Groups).Select(group => StallStopAndCountAsync(harness, $"stalled-{group}")));
    }

    /// <summary>
    /// One group: its first sink stalls in its first write, the second joins (so a revoke waits in the first's
    /// queue), the first overstays the poll interval and is dropped, then is released and asked to stop.
    /// </summary>
    private static async Task StallStopAndCountAsync(SinkHarness harness, string group)
    {
        await using var lake = await LakeStore.FolderAsync();
        var options = harness.Options(o => o with { ConsumerGroup = group, FlushRecords = 50 });
        var stalling = new StallingStore(lake.Store, stallAfterRawObjects: 1);
        using var stopFirst = new CancellationTokenSource();
        using var stopSecond = new CancellationTokenSource();
        var first = Run(options, stalling, new SinkMetrics(), stopFirst.Token);
        await stalling.Stalled.WaitAsync(Patience);
        var secondMetrics = new SinkMetrics();
        var second = Run(options, lake.Store, secondMetrics, stopSecond.Token);
        await SinkHarness.WaitForAsync(() => Task.FromResult(secondMetrics.Counts.Partitions == 6), Patience, $"{group}: the second sink owning every partition");

        stalling.Release();
        await stopFirst.CancelAsync();
        Assert.True(await Task.WhenAny(first, Task.Delay(Patience)) == first, $"{group}: the sink the group took for dead did not stop within {Patience}");
        await first; // its own failure, if any

        await SinkHarness.WaitForAsync(async () => (await SinkHarness.StoredSampleIdsAsync(lake.Store)).Distinct().Count() == 600, Patience, $"{group}: 600 samples in the lake");
        await stopSecond.CancelAsync();
        Assert.True(await Task.WhenAny(second, Task.Delay(Patience)) == second, $"{group}: the second sink did not stop within {Patience}");
        await second;
        Assert.Equal(600, (await SinkHarness.StoredSampleIdsAsync(lake.Store)).Count);
    }

    private static Task Run(SinkOptions options, IObjectStore store, SinkMetrics metrics, CancellationToken stopping) =>
        new KafkaSinkHost(options, store, TimeProvider.System, NullLogger<KafkaSinkHost>.Instance, metrics).RunAsync(stopping);
}
