using System.Globalization;
using System.Text.Json;
using WineFunctions.Data;
using WineFunctions.Lake;
using WineFunctions.Models;
using WineFunctions.Samples;

namespace WineFunctions.Explore.Report;

/// <summary>
/// Drift, for the ops team: per warehouse and colour, the recent samples (the last week before
/// the newest one) against the data the champion was trained on: the predicted-class mix beside
/// the training classes, and each measurement's population stability index.
/// </summary>
internal static class DriftSection
{
    public static readonly TimeSpan Recent = TimeSpan.FromDays(7);

    public static async Task<ReportSection> BuildAsync(ExploreSession session, string rows, IObjectStore? registry, CancellationToken cancellationToken)
    {
        var section = new ReportSection("drift", "Drift: recent samples against the training set");
        if (registry is null)
        {
            section.Notes.Add("A data file has no model registry, so no training set to compare with: report on a lake.");
            return section;
        }
        var (version, dataSetKey, problem) = await TrainingSetAsync(registry, cancellationToken);
        var upload = dataSetKey is null ? null : await registry.GetAsync(dataSetKey, cancellationToken);
        if (upload is null)
        {
            section.Notes.Add(problem ?? $"The champion's training set {dataSetKey} is no longer in the lake.");
            return section;
        }
        using var text = new StringReader(System.Text.Encoding.UTF8.GetString(upload.Content));
        var training = UciWineQuality.Read(text, null, dataSetKey!);
        var groups = await RecentAsync(session, rows, cancellationToken);
        if (groups.Count == 0)
        {
            section.Notes.Add("No recent samples with a warehouse (the UCI data has no warehouses).");
            return section;
        }
        section.Notes.Add($"Recent: samples taken in the {Recent.TotalDays:0} days before the newest one. Reference: the champion's training set " +
            $"(version {version}, {dataSetKey}, {training.Count:N0} rows) of the same colour. Population stability index (PSI) over the " +
            $"training deciles: under {PopulationStability.Watch} stable, up to {PopulationStability.Shifted} worth watching, above that shifted.");

        var labels = groups.Select(g => $"{g.Warehouse} {g.Colour.Name()}").ToList();
        var indexes = new double[groups.Count, Measurement.All.Count];
        var table = new List<IReadOnlyList<string>>();
        for (var g = 0; g < groups.Count; g++)
        {
            var group = groups[g];
            var reference = training.Where(r => r.Colour == group.Colour).ToList();
            for (var m = 0; m < Measurement.All.Count; m++)
            {
                indexes[g, m] = PopulationStability.Index(reference.Select(r => r.Values[m]).ToList(), group.Values.Select(v => v[m]).ToList());
            }
            var worst = Enumerable.Range(0, Measurement.All.Count).MaxBy(m => indexes[g, m]);
            table.Add([group.Warehouse, group.Colour.Name(), group.Values.Count.ToString("N0", CultureInfo.InvariantCulture),
                Mix(group.Predicted), Mix(reference.Select(r => (string?)r.Class.Name()).ToList()),
                Measurement.All[worst].UciColumn, indexes[g, worst].ToString("0.000", CultureInfo.InvariantCulture), PopulationStability.Verdict(indexes[g, worst])]);
        }
        section.Tables.Add(new ReportTable("Recent samples against the training set",
            ["warehouse", "colour", "recent samples", "predicted good / better / best", "training good / better / best", "largest shift", "PSI", "verdict"], table));
        section.Charts.Add(new ReportChart("drift-psi", "Population stability index of each measurement",
            ReportCharts.Matrix("Population stability index: recent against training", labels, Measurement.All.Select(m => m.UciColumn).ToList(), indexes,
                new ScottPlot.Colormaps.Inferno(), new ScottPlot.Range(0, 0.5), "0.00", "measurement", "warehouse and colour", height: 180 + 60 * groups.Count)));
        return section;
    }

    /// <summary>The champion's version and the key of its training set, read from its card; or why there is none.</summary>
    private static async Task<(int Version, string? Key, string? Problem)> TrainingSetAsync(IObjectStore registry, CancellationToken cancellationToken)
    {
        try
        {
            if (await registry.GetAsync($"{LakeLayout.Models}champion.json", cancellationToken) is not { } pointer)
            {
                return (0, null, "No champion yet, so no training set to compare with.");
            }
            using var champion = JsonDocument.Parse(pointer.Content);
            var version = champion.RootElement.GetProperty("version").GetInt32();
            var card = await registry.GetAsync(string.Create(CultureInfo.InvariantCulture, $"{LakeLayout.Models}versions/{version:D6}/card.json"), cancellationToken);
            using var cardJson = card is null ? null : JsonDocument.Parse(card.Content);
            return cardJson is not null && cardJson.RootElement.TryGetProperty("dataSet", out var dataSet) && dataSet.TryGetProperty("key", out var key)
                ? (version, key.GetString(), null)
                : (version, null, $"The champion (version {version}) has no card naming its training set.");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return (0, null, $"The registry's champion could not be read: {e.Message}");
        }
    }

    /// <summary>The class shares, good / better / best, of the classified ones.</summary>
    private static string Mix(IReadOnlyList<string?> classes)
    {
        var classified = classes.Count(c => c is not null);
        return classified == 0
            ? "none predicted"
            : string.Join(" / ", QualityClasses.All.Select(c => (classes.Count(x => x == c.Name()) / (double)classified).ToString("P0", CultureInfo.InvariantCulture)));
    }

    private sealed record RecentGroup(string Warehouse, WineColour Colour, List<double[]> Values, List<string?> Predicted);

    private static async Task<List<RecentGroup>> RecentAsync(ExploreSession session, string rows, CancellationToken cancellationToken)
    {
        var columns = string.Join(", ", Measurement.All.Select(m => LakeViews.Quote(m.Field)));
        var result = await session.QueryAsync($"""
            SELECT warehouseId, wine, predictedClass, {columns} FROM {rows}
            WHERE warehouseId IS NOT NULL AND takenAt >= (SELECT max(takenAt) FROM {rows}) - INTERVAL {Recent.TotalDays:0} DAY
            """, int.MaxValue, cancellationToken);
        return result.Rows
            .GroupBy(r => ((string)r[0]!, (string)r[1]! == "red" ? WineColour.Red : WineColour.White))
            .OrderBy(g => g.Key.Item1, StringComparer.Ordinal).ThenBy(g => g.Key.Item2)
            .Select(g => new RecentGroup(g.Key.Item1, g.Key.Item2,
                g.Select(r => Enumerable.Range(3, Measurement.All.Count).Select(i => Convert.ToDouble(r[i], CultureInfo.InvariantCulture)).ToArray()).ToList(),
                g.Select(r => (string?)r[2]).ToList()))
            .ToList();
    }
}
