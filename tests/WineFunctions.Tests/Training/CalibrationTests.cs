using System.Text.Json;
using WineFunctions.Explore;
using WineFunctions.Explore.Report;
using WineFunctions.Models;
using WineFunctions.Samples;
using WineFunctions.Tests.Explore;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Training;

/// <summary>Calibration: the expected calibration error and reliability bins on a model card, and the report's chart of them.</summary>
public sealed class CalibrationTests
{
    [Fact]
    [Trait(Categories.Name, Categories.Unit)]
    public void A_model_as_sure_as_it_is_right_has_no_calibration_error_and_an_overconfident_one_has_the_gap()
    {
        // Top probability 0.6, right 6 times in 10: calibrated. Top probability 0.95, right 5 times in 10: 0.45 too sure.
        QualityClass[] truths = [.. Enumerable.Range(0, 10).Select(i => i < 6 ? QualityClass.Better : QualityClass.Good)];
        var calibrated = ClassificationMetrics.From(truths, [.. truths.Select(_ => new[] { 0.3f, 0.6f, 0.1f })]);
        Assert.Equal(0, calibrated.ExpectedCalibrationError!.Value, 6);
        var bin = Assert.Single(calibrated.Reliability!);
        Assert.Equal((0.6, 0.7, 10, 0.6), (bin.Low, bin.High, bin.Rows, Math.Round(bin.Accuracy, 6)));

        QualityClass[] halves = [.. Enumerable.Range(0, 10).Select(i => i < 5 ? QualityClass.Best : QualityClass.Good)];
        var overconfident = ClassificationMetrics.From(halves, [.. halves.Select(_ => new[] { 0.03f, 0.02f, 0.95f })]);
        Assert.Equal(0.45, overconfident.ExpectedCalibrationError!.Value, 5);
    }

    [Fact]
    public async Task The_report_states_the_champions_calibration_error_against_its_target_and_draws_its_reliability()
    {
        await using var lake = await LakeStore.FolderAsync();
        QualityClass[] truths = [.. Enumerable.Range(0, 200).Select(i => QualityClasses.All[i % 3])];
        var random = new Random(3);
        var heldOut = ClassificationMetrics.From(truths, [.. truths.Select(t =>
        {
            var p = new float[3];
            var sure = 0.4f + 0.5f * (float)random.NextDouble();
            p[random.NextDouble() < 0.7 ? (int)t : ((int)t + 1) % 3] = sure;
            for (var k = 0; k < 3; k++)
            {
                p[k] = p[k] == 0 ? (1 - sure) / 2 : p[k];
            }
            return p;
        })]);
        var card = JsonSerializer.Serialize(new { version = 5, metrics = new { macroAccuracy = heldOut.MacroAccuracy }, evaluation = new { heldOut } },
            new JsonSerializerOptions(JsonSerializerDefaults.Web));
        await lake.Store.PutAsync("models/champion.json", """{"version": 5}"""u8.ToArray(), new Dictionary<string, string>(), CancellationToken.None);
        await lake.Store.PutAsync("models/versions/000005/card.json", System.Text.Encoding.UTF8.GetBytes(card), new Dictionary<string, string>(), CancellationToken.None);

        await using var session = await ExploreSession.OpenLakeAsync(lake.Store, ExploreViewTests.CacheFolder(), null, CancellationToken.None);
        var report = await new ReportBuilder(TimeProvider.System).BuildAsync(session, lake.Store, null, CancellationToken.None);
        var champion = Assert.Single(report.Sections, s => s.Id == "champion");
        Assert.Contains(champion.Notes, n => n.StartsWith($"Held-out expected calibration error {heldOut.ExpectedCalibrationError:0.000} (target 0.05 or less: not met), over 200 rows",
            StringComparison.Ordinal));
        ReportTests.AssertNonTrivial(new() { ["champion-reliability"] = SkiaSharp.SKBitmap.Decode(Assert.Single(champion.Charts, c => c.Id == "champion-reliability").Png) });
    }
}
