using System.Text;
using WineFunctions.Data;
using WineFunctions.Explore;
using WineFunctions.Explore.Report;
using WineFunctions.Models;
using WineFunctions.Samples;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Explore;

/// <summary>The report's drift section: recent samples per warehouse and colour against the champion's training set.</summary>
public sealed class DriftReportTests
{
    [SkippableFact]
    public async Task A_warehouse_whose_alcohol_reads_high_is_shifted_and_one_drawn_from_the_training_set_is_stable()
    {
        var uci = UciWineQuality.ReadFolder(TestData.WineQualityFolder());
        await using var lake = await LakeStore.FolderAsync();
        const string TrainingKey = "training/uci-wine-quality.csv";
        await lake.Store.PutAsync(TrainingKey, Encoding.UTF8.GetBytes(UciWineQuality.Write(uci)), new Dictionary<string, string>(), CancellationToken.None);
        await lake.Store.PutAsync("models/champion.json", """{"version": 2}"""u8.ToArray(), new Dictionary<string, string>(), CancellationToken.None);
        await lake.Store.PutAsync("models/versions/000002/card.json", Encoding.UTF8.GetBytes($$$"""{"version": 2, "dataSet": {"key": "{{{TrainingKey}}}"}}"""),
            new Dictionary<string, string>(), CancellationToken.None);

        // Recent red samples: wh-01 re-measures training rows; wh-02's hydrometer reads 2.5 % vol high. An old week of wh-02 is not recent.
        var reds = uci.Where(r => r.Colour == WineColour.Red).ToList();
        WineSample Sample(string warehouse, int i, DateTimeOffset at, double alcoholOffset)
        {
            var values = reds[i * 3 % reds.Count].Values.ToArray();
            values[^1] += alcoholOffset;
            return WineSample.Create($"{warehouse}-s{i}", $"{warehouse}-b{i % 5}", warehouse, $"{warehouse}-dev-1", at.AddMinutes(i), WineColour.Red, values);
        }
        var now = ExploreLake.Day;
        await ExploreLake.WriteRawAsync(lake.Store, [.. Enumerable.Range(0, 400).Select(i => Sample("wh-01", i, now, 0))], 0);
        await ExploreLake.WriteRawAsync(lake.Store, [.. Enumerable.Range(0, 400).Select(i => Sample("wh-02", i, now.AddHours(1), 2.5))], 400);
        await ExploreLake.WriteRawAsync(lake.Store, [.. Enumerable.Range(0, 50).Select(i => Sample("wh-03", i, now.AddDays(-30), 0))], 800);

        await using var session = await ExploreSession.OpenLakeAsync(lake.Store, ExploreViewTests.CacheFolder(), null, CancellationToken.None);
        var report = await new ReportBuilder(TimeProvider.System).BuildAsync(session, lake.Store, null, CancellationToken.None);
        var drift = Assert.Single(report.Sections, s => s.Id == "drift");
        var table = Assert.Single(drift.Tables);
        var rows = table.Rows.ToDictionary(r => r[0]);
        Assert.Equal(["wh-01", "wh-02"], rows.Keys); // wh-03's samples are a month older than the newest: not recent
        Assert.Equal(("400", "stable"), (rows["wh-01"][2], rows["wh-01"][7]));
        Assert.Equal(("alcohol", "shifted"), (rows["wh-02"][5], rows["wh-02"][7]));
        Assert.True(double.Parse(rows["wh-02"][6], System.Globalization.CultureInfo.InvariantCulture) > PopulationStability.Shifted);
        Assert.Equal("none predicted", rows["wh-01"][3]);
        Assert.Equal(TrainingMix(reds), rows["wh-01"][4]);
        ReportTests.AssertNonTrivial(new() { ["drift-psi"] = SkiaSharp.SKBitmap.Decode(Assert.Single(drift.Charts).Png) });
    }

    [Fact]
    [Trait(Categories.Name, Categories.Unit)]
    public void The_stability_index_is_zero_for_the_same_values_and_grows_with_a_shift()
    {
        var reference = Enumerable.Range(0, 1000).Select(i => i / 100.0).ToList();
        Assert.Equal(0, PopulationStability.Index(reference, reference), 6);
        var small = PopulationStability.Index(reference, reference.Select(v => v + 0.3).ToList());
        var large = PopulationStability.Index(reference, reference.Select(v => v + 3).ToList());
        Assert.InRange(small, 0.001, PopulationStability.Watch);
        Assert.True(large > PopulationStability.Shifted, $"{large}");
        Assert.Equal("shifted", PopulationStability.Verdict(large));
    }

    private static string TrainingMix(IReadOnlyList<LabelledMeasurements> rows) =>
        string.Join(" / ", QualityClasses.All.Select(c => (rows.Count(r => r.Class == c) / (double)rows.Count).ToString("P0", System.Globalization.CultureInfo.InvariantCulture)));
}
