using System.Globalization;
using System.Text.Json;
using ScottPlot;
using WineFunctions.Lake;
using WineFunctions.Registry;
using WineFunctions.Samples;

namespace WineFunctions.Explore.Report;

/// <summary>
/// Gathers the report from an explore session with SQL (so it scales with DuckDB, not memory) and
/// draws its charts. The class of a sample is, in this order: the quality score of a labelled data
/// file, the sample's prediction, its <c>simulatedClass</c>.
/// </summary>
public sealed class ReportBuilder(TimeProvider time)
{
    private const string Rows = "report_rows";
    private const int Bins = 30;
    private static readonly string[] ClassOrder = ["good", "better", "best", "unclassified"];

    public async Task<WineReport> BuildAsync(ExploreSession session, IObjectStore? registry, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var classExpression = session.HasQuality
            ? $"coalesce({LakeViews.ClassOf("quality")}, predictedClass, simulatedClass)"
            : "coalesce(predictedClass, simulatedClass)";
        var sourceExpression = session.HasQuality
            ? "CASE WHEN quality IS NOT NULL THEN 'quality score' WHEN predictedClass IS NOT NULL THEN 'prediction' WHEN simulatedClass IS NOT NULL THEN 'simulatedClass' END"
            : "CASE WHEN predictedClass IS NOT NULL THEN 'prediction' WHEN simulatedClass IS NOT NULL THEN 'simulatedClass' END";
        await LakeViews.ExecuteAsync(session.Connection,
            $"CREATE OR REPLACE TEMP VIEW {Rows} AS SELECT *, {classExpression} AS class, {sourceExpression} AS classSource FROM {LakeViews.SamplePredictions}", cancellationToken);
        var total = await session.ScalarAsync<long>($"SELECT count(*) FROM {Rows}", cancellationToken);
        var sections = new List<ReportSection>();

        progress?.Report("counting rows");
        sections.Add(await CountsAsync(session, total, cancellationToken));
        progress?.Report("class balance");
        sections.Add(await ClassBalanceAsync(session, total, cancellationToken));
        progress?.Report("distributions");
        sections.Add(await DistributionsAsync(session, total, cancellationToken));
        progress?.Report("correlations");
        sections.Add(await CorrelationAsync(session, total, cancellationToken));
        progress?.Report("duplicates");
        sections.Add(await DuplicatesAsync(session, total, cancellationToken));
        progress?.Report("predictions and taster scores");
        sections.Add(await PredictionsAsync(session, cancellationToken));
        progress?.Report("drift");
        sections.Add(await DriftSection.BuildAsync(session, Rows, registry, cancellationToken));
        progress?.Report("champion model");
        sections.Add(await ChampionAsync(registry, cancellationToken));
        return new WineReport(session.Source, time.GetUtcNow(), total, sections);
    }

    private static async Task<ReportSection> CountsAsync(ExploreSession session, long total, CancellationToken cancellationToken)
    {
        var section = new ReportSection("counts", "Rows by day, warehouse and colour");
        if (total == 0)
        {
            section.Notes.Add("There are no samples yet: run `wine up`, or wait for the sink to write its first objects.");
            return section;
        }
        section.Notes.Add($"{total:N0} samples.");
        foreach (var (id, title, expression) in new[]
                 {
                     ("counts-by-day", "Samples by day taken (UTC)", "strftime(CAST(takenAt AS DATE), '%Y-%m-%d')"),
                     ("counts-by-warehouse", "Samples by warehouse", "warehouseId"),
                     ("counts-by-colour", "Samples by colour", "wine"),
                 })
        {
            var bars = await PairsAsync(session, $"SELECT {expression} AS k, count(*) FROM {Rows} WHERE {expression} IS NOT NULL GROUP BY 1 ORDER BY 1", cancellationToken);
            if (bars.Count == 0)
            {
                section.Notes.Add($"{title}: the data has no such column (the UCI data has neither dates nor warehouses).");
                continue;
            }
            section.Charts.Add(new ReportChart(id, title, ReportCharts.Bars(title, "samples", bars)));
        }
        return section;
    }

    private static async Task<ReportSection> ClassBalanceAsync(ExploreSession session, long total, CancellationToken cancellationToken)
    {
        var section = new ReportSection("class-balance", "Class balance");
        if (total == 0)
        {
            section.Notes.Add("No samples, so no classes.");
            return section;
        }
        var result = await session.QueryAsync($"SELECT coalesce(class, 'unclassified'), wine, count(*) FROM {Rows} GROUP BY ALL", int.MaxValue, cancellationToken);
        var classes = ClassOrder.Where(c => result.Rows.Any(r => (string)r[0]! == c)).ToList();
        var colours = result.Rows.Select(r => (string?)r[1] ?? "unknown").Distinct().Order().ToList();
        var series = colours.Select(colour => (colour, classes.Select(c => (double)result.Rows
            .Where(r => (string)r[0]! == c && ((string?)r[1] ?? "unknown") == colour).Sum(r => Convert.ToInt64(r[2], CultureInfo.InvariantCulture))).ToArray())).ToList();
        section.Charts.Add(new ReportChart("class-balance", "Samples per class and colour", ReportCharts.GroupedBars("Samples per class and colour", "samples", classes, series)));
        var sources = await PairsAsync(session, $"SELECT coalesce(classSource, 'none'), count(*) FROM {Rows} GROUP BY 1 ORDER BY 2 DESC", cancellationToken);
        section.Notes.Add("Where the classes come from: " + string.Join(", ", sources.Select(s => $"{s.Label} {s.Value:N0}")) + ".");
        return section;
    }

    private static async Task<ReportSection> DistributionsAsync(ExploreSession session, long total, CancellationToken cancellationToken)
    {
        var section = new ReportSection("distributions", "Each measurement by class");
        if (total == 0)
        {
            section.Notes.Add("No samples to draw.");
            return section;
        }
        var classified = await session.ScalarAsync<long>($"SELECT count(class) FROM {Rows}", cancellationToken);
        var group = classified > 0 ? "class" : "'all samples'";
        var where = classified > 0 ? "class IS NOT NULL" : "true";
        section.Notes.Add(classified > 0
            ? "Share of each class's rows per bin; the lowest and highest 0.5% fold into the end bins."
            : "No sample has a class yet (no predictions, no simulatedClass): all samples are drawn as one.");
        foreach (var measurement in Measurement.All)
        {
            var column = LakeViews.Quote(measurement.Field);
            var bounds = await session.QueryAsync($"SELECT quantile_cont({column}, 0.005), quantile_cont({column}, 0.995) FROM {Rows} WHERE {where}", 1, cancellationToken);
            var low = Convert.ToDouble(bounds.Rows[0][0] ?? 0.0, CultureInfo.InvariantCulture);
            var high = Convert.ToDouble(bounds.Rows[0][1] ?? 1.0, CultureInfo.InvariantCulture);
            var width = high > low ? (high - low) / Bins : 1;
            var counts = await session.QueryAsync(string.Create(CultureInfo.InvariantCulture,
                $"SELECT {group} AS g, CAST(least({Bins - 1}, greatest(0, floor(({column} - {low:R}) / {width:R}))) AS INTEGER) AS bin, count(*) FROM {Rows} WHERE {where} AND {column} IS NOT NULL GROUP BY ALL"),
                int.MaxValue, cancellationToken);
            var series = counts.Rows.GroupBy(r => (string)r[0]!).OrderBy(g => Array.IndexOf(ClassOrder, g.Key)).Select(g =>
            {
                var shares = new double[Bins];
                var sum = g.Sum(r => Convert.ToDouble(r[2], CultureInfo.InvariantCulture));
                foreach (var r in g)
                {
                    shares[Convert.ToInt32(r[1], CultureInfo.InvariantCulture)] += Convert.ToDouble(r[2], CultureInfo.InvariantCulture) / sum;
                }
                return (g.Key, shares);
            }).ToList();
            var centres = Enumerable.Range(0, Bins).Select(i => low + width * (i + 0.5)).ToArray();
            section.Charts.Add(new ReportChart($"distribution-{measurement.Field}", measurement.UciColumn,
                ReportCharts.Distributions(measurement.UciColumn, measurement.Unit, centres, series)));
        }
        return section;
    }

    private static async Task<ReportSection> CorrelationAsync(ExploreSession session, long total, CancellationToken cancellationToken)
    {
        var section = new ReportSection("correlation", "Correlation of the measurements");
        if (total < 3)
        {
            section.Notes.Add($"Correlations need at least 3 samples; there are {total}.");
            return section;
        }
        var all = Measurement.All;
        var pairs = (from i in Enumerable.Range(0, all.Count) from j in Enumerable.Range(0, all.Count) where i < j select (i, j)).ToList();
        var result = await session.QueryAsync(
            "SELECT " + string.Join(", ", pairs.Select(p => $"corr({LakeViews.Quote(all[p.i].Field)}, {LakeViews.Quote(all[p.j].Field)})")) + $" FROM {Rows}",
            1, cancellationToken);
        var matrix = new double[all.Count, all.Count];
        for (var i = 0; i < all.Count; i++)
        {
            matrix[i, i] = 1;
        }
        for (var k = 0; k < pairs.Count; k++)
        {
            var value = result.Rows[0][k] is { } v ? Convert.ToDouble(v, CultureInfo.InvariantCulture) : double.NaN;
            matrix[pairs[k].i, pairs[k].j] = matrix[pairs[k].j, pairs[k].i] = value;
        }
        var labels = all.Select(m => m.UciColumn).ToList();
        section.Charts.Add(new ReportChart("correlation", "Pearson correlation",
            ReportCharts.Matrix("Pearson correlation", labels, labels, matrix, new ScottPlot.Colormaps.Balance(), new ScottPlot.Range(-1, 1), "0.00")));
        section.Notes.Add("Blank cells (–): a measurement that does not vary.");
        return section;
    }

    private static async Task<ReportSection> DuplicatesAsync(ExploreSession session, long total, CancellationToken cancellationToken)
    {
        var section = new ReportSection("duplicates", "Duplicate rows");
        if (total == 0)
        {
            section.Notes.Add("No samples, so no duplicates.");
            return section;
        }
        var key = "wine, " + string.Join(", ", Measurement.All.Select(m => LakeViews.Quote(m.Field)));
        var result = await session.QueryAsync($"""
            SELECT coalesce(class, 'unclassified') AS c, count(*) FILTER (WHERE n = 1), count(*) FILTER (WHERE n > 1)
            FROM (SELECT class, count(*) OVER (PARTITION BY {key}) AS n FROM {Rows}) GROUP BY 1
            """, int.MaxValue, cancellationToken);
        var classes = ClassOrder.Where(c => result.Rows.Any(r => (string)r[0]! == c)).ToList();
        double Count(string c, int column) => Convert.ToDouble(result.Rows.First(r => (string)r[0]! == c)[column], CultureInfo.InvariantCulture);
        section.Charts.Add(new ReportChart("duplicates", "Rows whose colour and 11 measurements repeat",
            ReportCharts.GroupedBars("Unique rows and rows in duplicate groups", "rows", classes,
                [("unique", classes.Select(c => Count(c, 1)).ToArray()), ("in a duplicate group", classes.Select(c => Count(c, 2)).ToArray())])));
        var groups = await session.QueryAsync($"SELECT count(*), CAST(coalesce(sum(n), 0) AS BIGINT) FROM (SELECT count(*) AS n FROM {Rows} GROUP BY {key} HAVING count(*) > 1)", 1, cancellationToken);
        var repeatedIds = await session.ScalarAsync<long>($"SELECT count(sampleId) - count(DISTINCT sampleId) FROM {Rows}", cancellationToken);
        section.Tables.Add(new ReportTable("Duplicates", ["what", "count"],
        [
            ["groups of identical readings", $"{groups.Rows[0][0]:N0}"],
            ["rows in those groups", $"{Convert.ToInt64(groups.Rows[0][1], CultureInfo.InvariantCulture):N0}"],
            ["sample ids stored more than once", $"{repeatedIds:N0}"],
        ]));
        section.Notes.Add("`wine dataset` keeps each group of identical readings on one side of the train/test split.");
        return section;
    }

    private static async Task<ReportSection> PredictionsAsync(ExploreSession session, CancellationToken cancellationToken)
    {
        var section = new ReportSection("predictions-vs-taster", "Predictions and taster scores");
        var scored = await session.ScalarAsync<long>($"SELECT count(*) FROM {LakeViews.Batches} WHERE tasterClass IS NOT NULL", cancellationToken);
        var predicted = await session.ScalarAsync<long>($"SELECT count(*) FROM {LakeViews.Batches} WHERE predictedClass IS NOT NULL", cancellationToken);
        var rejected = await session.ScalarAsync<long>($"SELECT count(*) FROM {LakeViews.Predictions} WHERE rejection IS NOT NULL", cancellationToken);
        section.Notes.Add($"{scored:N0} batches have taster scores, {predicted:N0} have predictions; {rejected:N0} samples were rejected by the model.");
        var result = await session.QueryAsync(
            $"SELECT tasterClass, predictedClass, count(*) FROM {LakeViews.Batches} WHERE tasterClass IS NOT NULL AND predictedClass IS NOT NULL GROUP BY ALL", int.MaxValue, cancellationToken);
        if (result.Rows.Count == 0)
        {
            section.Notes.Add("No batch has both taster scores and predictions yet, so there is nothing to compare.");
            return section;
        }
        var classes = QualityClasses.All.Select(c => c.Name()).ToList();
        var matrix = new double[3, 3];
        foreach (var row in result.Rows)
        {
            matrix[classes.IndexOf((string)row[0]!), classes.IndexOf((string)row[1]!)] = Convert.ToDouble(row[2], CultureInfo.InvariantCulture);
        }
        var batches = matrix.Cast<double>().Sum();
        var agreeing = matrix[0, 0] + matrix[1, 1] + matrix[2, 2];
        section.Charts.Add(new ReportChart("predictions-vs-taster", "Batches: the tasters' class against the predicted class",
            ReportCharts.Matrix("Batches: taster class (median score) against predicted class (most samples)", classes, classes, matrix,
                new ScottPlot.Colormaps.Blues(), null, "N0", "predicted class", "taster class", 700, 560)));
        section.Tables.Add(new ReportTable("Agreement", ["batches compared", "same class", "share"],
            [[$"{batches:N0}", $"{agreeing:N0}", (agreeing / batches).ToString("P1", CultureInfo.InvariantCulture)]]));
        return section;
    }

    private static async Task<ReportSection> ChampionAsync(IObjectStore? registry, CancellationToken cancellationToken)
    {
        var section = new ReportSection("champion", "The champion model");
        if (registry is null)
        {
            section.Notes.Add("A data file has no model registry: report on a lake to see the champion's metrics.");
            return section;
        }
        var pointer = await registry.GetAsync($"{LakeLayout.Models}champion.json", cancellationToken);
        if (pointer is null)
        {
            section.Notes.Add($"No champion yet: {registry.Location} has no {LakeLayout.Models}champion.json (no model has been trained and promoted).");
            return section;
        }
        try
        {
            using var champion = JsonDocument.Parse(pointer.Content);
            var version = champion.RootElement.GetProperty("version").GetInt32();
            var cardKey = string.Create(CultureInfo.InvariantCulture, $"{LakeLayout.Models}versions/{version:D6}/card.json");
            var card = await registry.GetAsync(cardKey, cancellationToken);
            if (card is null)
            {
                section.Notes.Add($"The champion is version {version}, but its card {cardKey} is missing.");
                return section;
            }
            using var cardJson = JsonDocument.Parse(card.Content);
            var metrics = cardJson.RootElement.TryGetProperty("metrics", out var m) ? Flatten(m, "").ToList() : [];
            section.Notes.Add($"Version {version} ({cardKey}).");
            if (metrics.Count == 0)
            {
                section.Notes.Add("Its card has no numeric metrics.");
                return section;
            }
            section.Tables.Add(new ReportTable("Metrics", ["metric", "value"], metrics.Select(x => (IReadOnlyList<string>)[x.Name, x.Value.ToString("G6", CultureInfo.InvariantCulture)]).ToList()));
            section.Charts.Add(new ReportChart("champion-metrics", $"Champion (version {version}) metrics", ReportCharts.Bars($"Champion (version {version}) metrics", "value", metrics)));
            Reliability(section, cardJson.RootElement, version);
            // A hand-made or truncated card may lack the evaluation; the tables then say nothing.
            if (JsonSerializer.Deserialize(card.Content, RegistryJson.Default.ModelCard) is { Evaluation: not null } typed)
            {
                EvaluationTables.Add(section, typed);
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            section.Notes.Add($"The registry's champion could not be read: {e.Message}");
        }
        return section;
    }

    /// <summary>
    /// The champion's calibration on its held-out rows (<c>evaluation.heldOut</c> of its card): the
    /// expected calibration error against the 0.05 target, and the reliability chart. The app shows
    /// these probabilities to customers, so how far they can be taken at their word matters.
    /// </summary>
    private static void Reliability(ReportSection section, JsonElement card, int version)
    {
        if (!card.TryGetProperty("evaluation", out var evaluation) || !evaluation.TryGetProperty("heldOut", out var heldOut)
            || !heldOut.TryGetProperty("reliability", out var reliability) || reliability.ValueKind != JsonValueKind.Array
            || !heldOut.TryGetProperty("expectedCalibrationError", out var error) || error.ValueKind != JsonValueKind.Number)
        {
            section.Notes.Add("Its card has no calibration figures (a model trained before they were measured).");
            return;
        }
        var bins = reliability.EnumerateArray()
            .Select(b => (b.GetProperty("meanConfidence").GetDouble(), b.GetProperty("accuracy").GetDouble(), b.GetProperty("rows").GetInt32())).ToList();
        section.Notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"Held-out expected calibration error {error.GetDouble():0.000} (target 0.05 or less: {(error.GetDouble() <= 0.05 ? "met" : "not met")}), over {bins.Sum(b => b.Item3):N0} rows."));
        section.Charts.Add(new ReportChart("champion-reliability", $"Champion (version {version}) reliability on its held-out rows",
            ReportCharts.Reliability($"Champion (version {version}) reliability, held out", bins)));
    }

    /// <summary>Every number under the metrics object, nested names joined with dots (e.g. <c>f1.best</c>).</summary>
    private static IEnumerable<(string Name, double Value)> Flatten(JsonElement element, string prefix)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Number:
                yield return (prefix, element.GetDouble());
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    foreach (var inner in Flatten(property.Value, prefix.Length == 0 ? property.Name : $"{prefix}.{property.Name}"))
                    {
                        yield return inner;
                    }
                }
                break;
        }
    }

    private static async Task<List<(string Label, double Value)>> PairsAsync(ExploreSession session, string sql, CancellationToken cancellationToken) =>
        (await session.QueryAsync(sql, int.MaxValue, cancellationToken)).Rows
            .Select(r => (Convert.ToString(r[0], CultureInfo.InvariantCulture) ?? "", Convert.ToDouble(r[1], CultureInfo.InvariantCulture))).ToList();
}
