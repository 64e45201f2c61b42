using WineFunctions.Lake;
using WineFunctions.Sink;
using WineFunctions.Tests.Infrastructure;
using WineFunctions.Tests.Ingest;

namespace WineFunctions.Tests.Sink;

/// <summary>Devices to lake through real servers: mosquitto, the bridge, the Kafka mock cluster, two sinks and s3rver.</summary>
[Collection(Collections.Librdkafka)]
public sealed class EndToEndTests
{
    [Fact]
    public async Task Every_sample_is_in_the_lake_once_even_when_a_sink_dies_between_writing_and_committing()
    {
        var accounts = BridgeTests.Accounts(3, 2);
        await using var mosquitto = await BridgeTests.StartMosquittoWithAclAsync(accounts);
        await using var bridge = BridgeHarness.Create();
        bridge.Start(bridge.Options(mosquitto.Port, "wine-bridge", accounts[^1].Password));
        await bridge.WaitUntilConnectedAsync();
        await using var lake = await LakeStore.S3rverAsync();
        await using var sinks = new SinkHarness(bridge.Kafka, BridgeHarness.Topic);

        // The first sink writes its third object, then hangs before it can commit: to the group it is dead.
        var stalling = new StallingStore(lake.Store, stallAfterRawObjects: 3);
        var first = sinks.StartSink(sinks.Options(), stalling);
        SinkMetrics second;
        try
        {
            var simulator = BridgeTests.Simulator(mosquitto.Port, accounts, samples: 1_500, rate: 300, connectionLoss: 0.02);
            var publishing = simulator.RunAsync(CancellationToken.None, CancellationToken.None);
            await stalling.Stalled.WaitAsync(TimeSpan.FromSeconds(60));

            second = sinks.StartSink(sinks.Options(), lake.Store);
            // Bounded waits: a stuck stage fails the test with its name instead of hanging the run.
            await publishing.WaitAsync(TimeSpan.FromMinutes(2));
            await SinkHarness.WaitForAsync(async () => (await SinkHarness.StoredSampleIdsAsync(lake.Store)).Distinct().Count() >= 1_500,
                TimeSpan.FromSeconds(120), "all 1500 samples in the lake");
        }
        finally
        {
            // The dead sink wakes up late and finishes its write: it must not add anything either. Released
            // whatever failed above, so that stopping the sinks cannot hide that failure behind a stop timeout.
            stalling.Release();
        }
        await sinks.StopSinksAsync();

        var stored = await SinkHarness.StoredSampleIdsAsync(lake.Store);
        Assert.Equal(1_500, stored.Distinct().Count());
        Assert.Equal(1_500, stored.Count);
        Assert.True(second.Counts.Samples > 0, "the second sink must have taken over");
        Assert.True(first.Counts.Samples > 0, "the first sink must have stored runs before it stalled");
    }
}

/// <summary>A store that, after its Nth raw sample object is written, holds the writer there until released.</summary>
internal sealed class StallingStore(IObjectStore inner, int stallAfterRawObjects) : DelegatingObjectStore(inner)
{
    private readonly TaskCompletionSource _stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _rawObjects;

    public Task Stalled => _stalled.Task;

    public void Release() => _released.TrySetResult();

    public override async Task PutAsync(string key, ReadOnlyMemory<byte> content, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        await base.PutAsync(key, content, metadata, cancellationToken);
        if (key.StartsWith(LakeLayout.RawSamples, StringComparison.Ordinal) && Interlocked.Increment(ref _rawObjects) == stallAfterRawObjects)
        {
            _stalled.TrySetResult();
            await _released.Task;
        }
    }
}
