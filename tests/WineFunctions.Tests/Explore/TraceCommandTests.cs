using Microsoft.Extensions.Logging.Abstractions;
using WineFunctions.Lake;
using WineFunctions.Samples;
using WineFunctions.Sink;
using WineFunctions.Tests.Infrastructure;
using WineFunctions.Tests.Stack;
using WineFunctions.Zones;

namespace WineFunctions.Tests.Explore;

/// <summary><c>wine trace</c>: a sample's journey from the lake's own records, the sink's real writer having written them across two trust zones.</summary>
public sealed class TraceCommandTests
{
    [Fact]
    public async Task Wine_trace_prints_every_hop_of_a_stored_and_predicted_sample_and_of_one_the_sink_dead_lettered()
    {
        var work = Directory.CreateTempSubdirectory("wine-trace-");
        try
        {
            var lake = new FolderObjectStore(Path.Combine(work.FullName, "lake"));
            // The sink runs in zone edge, the lake lives in zone core: every object it writes crosses, and the audit says so.
            var sinkView = lake.InZone(new ZoneSettings { Name = "edge" }, "core", "sink", TimeProvider.System);
            var values = TrainingData.Simulated(1, seed: 4)[0].Values;
            var takenAt = new DateTimeOffset(2026, 11, 30, 9, 15, 0, TimeSpan.Zero);
            var good = WineSample.Create("s-good", "b-7", "wh-01", "wh-01-dev-1", takenAt, WineColour.Red, values);
            var broken = WineSample.Create("s-broken", "b-7", "wh-01", "wh-01-dev-2", takenAt.AddMinutes(1), WineColour.Red, values) with { PH = 9.5 };
            const string Context = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
            var result = await new SampleRunWriter(sinkView, SampleFormat.Parquet, NullLogger.Instance).WriteAsync(
                [new SinkRecord("wine.samples", 2, 40, SampleJson.Serialize(good), Context), new SinkRecord("wine.samples", 2, 41, SampleJson.Serialize(broken))],
                new RecentSampleIds(10), CancellationToken.None);
            var rawKey = Assert.Single(result.Objects, k => k.StartsWith(LakeLayout.RawSamples, StringComparison.Ordinal));
            await ExploreLake.WritePredictionsAsync(lake, rawKey, [good], _ => QualityClass.Better);

            var (exitCode, output) = await Trace(work, "s-good");
            Assert.True(exitCode == 0, output);
            Assert.Contains("sample s-good (batch b-7)", output);
            Assert.Contains("2026-11-30 09:15:00.000  scanned: device wh-01-dev-1, warehouse wh-01", output);
            Assert.Contains($"stored by the sink: {rawKey} (Kafka wine.samples/2 offsets 40-40, 1 samples)", output);
            Assert.Contains($"crossed trust zones: edge -> core (sink write", output);
            Assert.Contains($"predicted: {LakeLayout.PredictionsFor(rawKey)} (better by model version 3)", output);

            (exitCode, output) = await Trace(work, "s-broken");
            Assert.True(exitCode == 0, output);
            Assert.Contains("sample s-broken (batch b-7)", output);
            Assert.Contains("dead-lettered by the sink: dead-letters/", output);
            Assert.Contains("(Kafka wine.samples/2 offset 41: ", output);
            Assert.Contains("pH", output);
            Assert.Contains("crossed trust zones: edge -> core", output);

            (exitCode, output) = await Trace(work, "--batch", "b-7");
            Assert.True(exitCode == 0, output);
            Assert.Contains("sample s-good", output);
            Assert.Contains("sample s-broken", output);

            (exitCode, output) = await Trace(work, "s-nowhere");
            Assert.Equal(1, exitCode);
            Assert.Contains("no sample s-nowhere", output);
            (exitCode, output) = await WineUpTests.RunWineAsync(work.FullName, "trace", "--lake", "lake");
            Assert.NotEqual(0, exitCode);
            Assert.Contains("Name one sample", output);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static Task<(int ExitCode, string Output)> Trace(DirectoryInfo work, params string[] what) =>
        WineUpTests.RunWineAsync(work.FullName, ["trace", .. what, "--lake", "lake", "--cache", Path.Combine(work.FullName, "cache")]);
}
