using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using WineFunctions.Lake;
using WineFunctions.Samples;
using WineFunctions.Sink;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Sink;

[Collection(Collections.Librdkafka)]
public sealed class DeadLetterReplayTests
{
    [Fact]
    public async Task Records_whose_run_failed_to_store_go_back_through_the_sink_and_records_refused_for_what_they_are_stay()
    {
        await using var lake = await LakeStore.FolderAsync();
        await using var harness = new SinkHarness(partitions: 2);
        // What the sink dead-lettered when a run could never be stored, beside a record refused for what it is.
        var samples = SinkHarness.Samples(5, "lost");
        var letters = samples.Select((s, i) => new SinkDeadLetter(SinkHarness.Topic, 0, i, $"{SinkDeadLetter.RunNotStored}: the writer failed", Encoding.UTF8.GetString(SampleJson.Serialize(s))))
            .Append(new SinkDeadLetter(SinkHarness.Topic, 0, 5, "malformed JSON", "{not a sample"))
            .ToList();
        var key = LakeLayout.SinkDeadLetters(SinkHarness.Topic, 0, 0);
        await lake.Store.PutAsync(key, Encoding.UTF8.GetBytes(string.Concat(letters.Select(l => JsonSerializer.Serialize(l, SinkJsonContext.Default.SinkDeadLetter) + "\n"))),
            new Dictionary<string, string>(), CancellationToken.None);

        var counts = await new DeadLetterReplay(lake.Store, TimeProvider.System, NullLogger<DeadLetterReplay>.Instance)
            .RunAsync(harness.Kafka.BootstrapServers, SinkHarness.Topic, new Dictionary<string, string>(), CancellationToken.None);
        Assert.Equal(new ReplayCounts(1, 5, 1), counts);

        harness.StartSink(harness.Options(o => o with { FlushInterval = TimeSpan.FromSeconds(1) }), lake.Store);
        await SinkHarness.WaitForAsync(async () => (await SinkHarness.StoredSampleIdsAsync(lake.Store)).Count >= 5, TimeSpan.FromSeconds(60), "the replayed samples");
        Assert.Equal(samples.Select(s => s.SampleId).Order(), (await SinkHarness.StoredSampleIdsAsync(lake.Store)).Order());

        var left = Encoding.UTF8.GetString((await lake.Store.GetAsync(key, CancellationToken.None))!.Content);
        Assert.Contains("malformed JSON", left);
        Assert.DoesNotContain(SinkDeadLetter.RunNotStored, left);
        Assert.NotNull(await lake.Store.GetAsync(DeadLetterReplay.Replayed + key[DeadLetterReplay.Sink.Length..], CancellationToken.None));
    }
}
