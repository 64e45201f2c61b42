using System.Text.Json;
using WineFunctions.Explore;
using WineFunctions.Explore.Report;
using WineFunctions.Models;
using WineFunctions.Registry;
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

    [Fact]
    public async Task The_report_sets_our_protocol_beside_Cortez_et_als_and_states_the_cut_points()
    {
        await using var lake = await LakeStore.FolderAsync();
        QualityClass[] truths = [QualityClass.Good, QualityClass.Better, QualityClass.Best];
        var metrics = ClassificationMetrics.From(truths, [.. truths.Select(t => QualityClasses.All.Select(c => c == t ? 0.8f : 0.1f).ToArray())]);
        var evaluation = new ModelEvaluation("test", 3, 0, 3, 3, 5, metrics, metrics, metrics, metrics, [],
            new RepeatedCrossValidation("grouped, nested", [101, 102, 103], 5, 3,
                [RepeatedScore.Of("ships", [metrics, metrics with { MacroAccuracy = 0.5 }, metrics with { MacroAccuracy = 0.75 }]), RepeatedScore.Of("majority class", [metrics, metrics, metrics])]),
            new CortezComparison("per colour, random folds", 3, 5, [new ScoreTolerance("red", 1599, 0.684, 0.904, 0.624, 0.890), new ScoreTolerance("white", 4898, 0.685, 0.897, 0.646, 0.868)]));
        var card = new ModelCard(7, DateTimeOffset.UnixEpoch, new DataSetReference("training/uci.csv", "00", 3, new Dictionary<string, int>(), null),
            TrainerSettings.Tuned, "test", evaluation.Headline, evaluation, "a.zip", "a.onnx", new DecisionRule(0.55, 1.3));
        await lake.Store.PutAsync("models/champion.json", """{"version": 7}"""u8.ToArray(), new Dictionary<string, string>(), CancellationToken.None);
        await lake.Store.PutAsync("models/versions/000007/card.json", JsonSerializer.SerializeToUtf8Bytes(card, RegistryJson.Default.ModelCard), new Dictionary<string, string>(), CancellationToken.None);

        await using var session = await ExploreSession.OpenLakeAsync(lake.Store, ExploreViewTests.CacheFolder(), null, CancellationToken.None);
        var report = await new ReportBuilder(TimeProvider.System).BuildAsync(session, lake.Store, null, CancellationToken.None);
        var champion = Assert.Single(report.Sections, s => s.Id == "champion");
        Assert.Contains("P(better) + 2 P(best) below 0.550 is good, below 1.300 better, else best", Assert.Single(champion.Notes, n => n.StartsWith("Decision:", StringComparison.Ordinal)));
        var ours = Assert.Single(champion.Tables, t => t.Title.StartsWith("Our protocol: grouped, nested", StringComparison.Ordinal));
        Assert.Equal(["ships", "0.750 ± 0.250", "1.000 / 0.500 / 0.750"], ours.Rows[0].Take(3));
        var theirs = Assert.Single(champion.Tables, t => t.Title.StartsWith("Cortez et al.'s protocol", StringComparison.Ordinal));
        Assert.Equal([["red", "1,599", "0.684", "0.624", "0.904", "0.890"], ["white", "4,898", "0.685", "0.646", "0.897", "0.868"]], theirs.Rows);
    }
}
