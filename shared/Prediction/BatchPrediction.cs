using System.Globalization;
using System.Text;
using WineFunctions.Registry;
using WineFunctions.Samples;
using WineFunctions.Models;

namespace WineFunctions.Prediction;

/// <summary>The predictions for a file, in its row order, and the tasters' scores it carried (null where none).</summary>
public sealed record BatchPredictions(IReadOnlyList<SamplePrediction> Predictions, IReadOnlyList<int?> Quality, int ModelVersion)
{
    /// <summary>How the predicted classes compare with the labels, over the labelled rows that got a class; null for a file without labels.</summary>
    public ClassificationMetrics? AgainstLabels
    {
        get
        {
            var scored = Enumerable.Range(0, Predictions.Count).Where(i => Quality[i] is not null && Predictions[i].PredictedClass is not null).ToList();
            return Quality.All(q => q is null) ? null : ClassificationMetrics.From(
                [.. scored.Select(i => QualityClasses.FromScore(Quality[i]!.Value))],
                [.. scored.Select(i => new[] { (float)Predictions[i].ProbabilityGood!.Value, (float)Predictions[i].ProbabilityBetter!.Value, (float)Predictions[i].ProbabilityBest!.Value })],
                // The classes the model's cut points gave, not the most probable ones.
                [.. scored.Select(i => (int)QualityClasses.FromName(Predictions[i].PredictedClass)!.Value)]);
        }
    }
}

/// <summary>
/// Batch prediction of a file of samples (<c>wine predict</c>) with the champion or a chosen model
/// version, through the same classifier and the same checks as the predict function.
/// </summary>
public static class BatchPrediction
{
    /// <param name="version">A model version, or null for the champion.</param>
    public static async Task<SampleClassifier> LoadModelAsync(ModelRegistry registry, int? version, string location, CancellationToken cancellationToken)
    {
        var chosen = version ?? (await registry.GetChampionAsync(cancellationToken) ?? throw new NoChampionException(location)).Version;
        var card = await registry.GetCardAsync(chosen, cancellationToken)
            ?? throw new InvalidOperationException($"there is no model version {chosen} in {location}");
        return new SampleClassifier(await registry.ReadArtifactAsync(card.OnnxKey, cancellationToken), chosen, card.Decision);
    }

    /// <summary>A class per row; a row with impossible or unreadable values gets its reasons instead.</summary>
    public static BatchPredictions Predict(SampleClassifier classifier, IReadOnlyList<SampleFileRow> rows)
    {
        var predictions = RawObjectPredictor.Predict(classifier, [.. rows.Select(r => r.Sample)]);
        return new BatchPredictions(
            [.. predictions.Select((p, i) => rows[i].Problem is { } problem
                ? p with { PredictedClass = null, ProbabilityGood = null, ProbabilityBetter = null, ProbabilityBest = null, Rejection = problem }
                : p)],
            [.. rows.Select(r => r.Quality)], classifier.ModelVersion);
    }

    /// <summary>The predictions as a <c>.csv</c> (the predictions object's columns, plus <c>quality</c> for a labelled file) or a <c>.parquet</c> predictions object.</summary>
    public static async Task<byte[]> WriteAsync(string path, BatchPredictions batch, CancellationToken cancellationToken)
    {
        if (path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
        {
            return await PredictionParquet.WriteAsync(batch.Predictions, cancellationToken);
        }
        if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            return Encoding.UTF8.GetBytes(Csv(batch));
        }
        throw new ArgumentException($"--output {path}: the name must end in .csv or .parquet");
    }

    private static string Csv(BatchPredictions batch)
    {
        var labelled = batch.Quality.Any(q => q is not null);
        var csv = new StringBuilder("sampleId,batchId,predictedClass,probabilityGood,probabilityBetter,probabilityBest,modelVersion,rejection");
        csv.Append(labelled ? ",quality\n" : "\n");
        for (var i = 0; i < batch.Predictions.Count; i++)
        {
            var p = batch.Predictions[i];
            csv.AppendJoin(',', Quote(p.SampleId), Quote(p.BatchId), p.PredictedClass ?? "", Number(p.ProbabilityGood), Number(p.ProbabilityBetter),
                Number(p.ProbabilityBest), p.ModelVersion.ToString(CultureInfo.InvariantCulture), Quote(p.Rejection ?? ""));
            if (labelled)
            {
                csv.Append(',').Append(batch.Quality[i]?.ToString(CultureInfo.InvariantCulture));
            }
            csv.Append('\n');
        }
        return csv.ToString();
    }

    private static string Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";

    /// <summary>RFC 4180: rejection reasons hold commas.</summary>
    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\n") < 0 ? value : $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
