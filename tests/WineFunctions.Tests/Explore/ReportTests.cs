using System.Text.RegularExpressions;
using SkiaSharp;
using WineFunctions.Explore;
using WineFunctions.Explore.Report;
using WineFunctions.Samples;
using WineFunctions.Tests.Infrastructure;
using WineFunctions.Tests.Stack;

namespace WineFunctions.Tests.Explore;

public sealed partial class ReportTests
{
    private static readonly string[] Distributions = Measurement.All.Select(m => $"distribution-{m.Field}").ToArray();

    [SkippableFact]
    public async Task The_report_of_the_UCI_data_has_every_chart_that_data_can_have()
    {
        var folder = TestData.WineQualityFolder();
        var work = Directory.CreateTempSubdirectory("wine-report-uci-");
        try
        {
            var file = Path.Combine(work.FullName, "uci.html");
            var (exitCode, output) = await WineUpTests.RunWineAsync(work.FullName, "report", "--data", folder, "--out", file);
            Assert.True(exitCode == 0, output);
            Assert.Contains("6,497 samples", output);
            var charts = Charts(await File.ReadAllTextAsync(file));
            Assert.Equal(["counts-by-colour", "class-balance", .. Distributions, "correlation", "duplicates"], charts.Keys);
            AssertNonTrivial(charts);
            // No dates, warehouses, predictions or registry in the UCI files: said, not drawn.
            Assert.Contains("the UCI data has neither dates nor warehouses", await File.ReadAllTextAsync(file));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_report_of_a_lake_has_every_chart_including_predictions_against_tasters_and_the_champion()
    {
        await using var lake = await LakeStore.FolderAsync();
        TestBatch[] batches =
        [
            .. Enumerable.Range(0, 12).Select(i => new TestBatch($"wh-0{1 + i % 3}-b{i:D3}", $"wh-0{1 + i % 3}", i % 4 == 0 ? WineColour.Red : WineColour.White,
                QualityClasses.All[i % 3], [5 + i % 3, 5 + i % 3, 6 + i % 3], ExploreLake.Day.AddDays(i % 2).AddHours(i))),
        ];
        var samples = await ExploreLake.WriteSamplesAsync(lake.Store, batches, samplesPerBatch: 15);
        await ExploreLake.WriteScoresAsync(lake.Store, batches);
        // Predictions for half the batches: right for most, wrong for one class.
        for (var i = 0; i < batches.Length; i += 2)
        {
            var key = WineFunctions.Lake.LakeLayout.RawSampleObject(batches[i].TakenAt, "wine.samples", 0, i * 15, WineFunctions.Lake.SampleFormat.Parquet);
            await ExploreLake.WritePredictionsAsync(lake.Store, key, samples.Skip(i * 15).Take(15).ToList(), s => s.SimulatedClass == QualityClass.Best ? QualityClass.Better : s.SimulatedClass!.Value);
        }
        await ExploreLake.WriteChampionAsync(lake.Store, 4, """{"accuracy": 0.71, "macroF1": 0.64, "f1": {"good": 0.7, "better": 0.6, "best": 0.62}, "trainedOn": "training/x/"}""");

        var work = Directory.CreateTempSubdirectory("wine-report-lake-");
        try
        {
            var file = Path.Combine(work.FullName, "lake.html");
            var (exitCode, output) = await WineUpTests.RunWineAsync(work.FullName, "report", "--lake", lake.Store.Location, "--out", file);
            Assert.True(exitCode == 0, output);
            var html = await File.ReadAllTextAsync(file);
            var charts = Charts(html);
            Assert.Equal(["counts-by-day", "counts-by-warehouse", "counts-by-colour", "class-balance", .. Distributions, "correlation", "duplicates", "predictions-vs-taster", "champion-metrics"], charts.Keys);
            AssertNonTrivial(charts);
            Assert.Contains("<td>f1.best</td><td>0.62</td>", html);
            Assert.Contains("12 batches have taster scores, 6 have predictions", html);
            Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", "")); // nothing fetched from elsewhere
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task An_empty_lake_gives_a_valid_report_of_notes_and_no_stack_trace()
    {
        await using var lake = await LakeStore.FolderAsync();
        await using var session = await ExploreSession.OpenLakeAsync(lake.Store, ExploreViewTests.CacheFolder(), null, CancellationToken.None);
        var report = await new ReportBuilder(TimeProvider.System).BuildAsync(session, lake.Store, null, CancellationToken.None);
        Assert.Equal(0, report.Rows);
        Assert.Empty(report.Sections.SelectMany(s => s.Charts));
        Assert.All(report.Sections, s => Assert.NotEmpty(s.Notes));
        var html = ReportHtml.Render(report);
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.EndsWith("</html>\n", html);
        Assert.Contains("No champion yet", html);
    }

    /// <summary>Each chart's PNG decoded, by its data-chart name, in document order.</summary>
    internal static Dictionary<string, SKBitmap> Charts(string html) =>
        ChartPattern().Matches(html).ToDictionary(m => m.Groups[1].Value, m => SKBitmap.Decode(Convert.FromBase64String(m.Groups[2].Value)) ?? throw new InvalidDataException($"{m.Groups[1].Value} is not a PNG"));

    /// <summary>A real chart, not a blank or single-colour image: big enough, and drawn in many colours (lines, fills, text anti-aliasing).</summary>
    internal static void AssertNonTrivial(Dictionary<string, SKBitmap> charts)
    {
        foreach (var (name, bitmap) in charts)
        {
            Assert.True(bitmap.Width >= 400 && bitmap.Height >= 280, $"{name} is {bitmap.Width}x{bitmap.Height}");
            var colours = new HashSet<uint>();
            var nonWhite = 0;
            for (var y = 0; y < bitmap.Height; y += 2)
            {
                for (var x = 0; x < bitmap.Width; x += 2)
                {
                    var pixel = bitmap.GetPixel(x, y);
                    colours.Add((uint)pixel);
                    nonWhite += pixel.Red + pixel.Green + pixel.Blue < 700 ? 1 : 0;
                }
            }
            Assert.True(colours.Count >= 50, $"{name} has {colours.Count} colours");
            Assert.True(nonWhite > bitmap.Width * bitmap.Height / 4 / 50, $"{name} has {nonWhite} drawn pixels of {bitmap.Width * bitmap.Height / 4}");
        }
    }

    [GeneratedRegex("""<figure data-chart="([^"]+)"><img alt="[^"]*" src="data:image/png;base64,([^"]+)">""")]
    private static partial Regex ChartPattern();
}
