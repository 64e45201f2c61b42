using WineFunctions.Samples;

namespace WineFunctions.Ratings;

/// <summary>One measurement over a batch's samples, in the UCI unit.</summary>
public sealed record MeasurementSummary(string Field, string Unit, double Mean, double Min, double Max);

/// <summary>The class the newest model gives most of a batch's samples, and how many samples it predicted.</summary>
public sealed record BatchPrediction(QualityClass PredictedClass, int ModelVersion, int Samples, int Rejected);

/// <summary>A batch as the lake knows it: indexed from the raw samples (and their predictions).</summary>
public sealed record Batch(
    string BatchId,
    WineColour Colour,
    string WarehouseId,
    DateTimeOffset FirstSampledAt,
    DateTimeOffset LastSampledAt,
    int Samples,
    IReadOnlyList<MeasurementSummary> Measurements,
    BatchPrediction? Prediction)
{
    /// <summary>The 11 means in <see cref="Measurement.All"/> order, for similarity.</summary>
    public double[] Means() => Measurements.Select(m => m.Mean).ToArray();
}

/// <summary>What customers think of a batch: how many rated it, the mean, and how many gave each of 1-5 stars.</summary>
public sealed record RatingSummary(int Count, double? AverageStars, IReadOnlyList<int> StarCounts)
{
    public static readonly RatingSummary None = new(0, null, [0, 0, 0, 0, 0]);
}

/// <summary>What the professional tasters scored, with the median on the 0-10 scale.</summary>
public sealed record TasterSummary(int Count, double? Median)
{
    public static TasterSummary Of(IReadOnlyList<int> scores)
    {
        if (scores.Count == 0)
        {
            return new TasterSummary(0, null);
        }
        var sorted = scores.Order().ToArray();
        var middle = sorted.Length / 2;
        return new TasterSummary(sorted.Length, sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0);
    }
}

/// <summary>A batch's card: what it is, where and when it was sampled, what the model says and what people say.</summary>
public sealed record BatchCard(Batch Batch, RatingSummary CustomerRatings, TasterSummary Tasters);

/// <summary>A line of the catalogue.</summary>
public sealed record CatalogueEntry(string BatchId, WineColour Colour, string WarehouseId, DateTimeOffset LastSampledAt,
    QualityClass? PredictedClass, int? ModelVersion, int Ratings, double? AverageStars);

/// <summary>Catalogue filters (null means any), and where the page starts: after a cursor, or at an offset.</summary>
public sealed record CatalogueFilter(WineColour? Colour, QualityClass? PredictedClass, double? MinStars, int Limit, int Offset, PageCursor? After = null)
{
    public const int MaxLimit = 200;

    /// <summary>Paging deeper than this is what the cursor is for.</summary>
    public const int MaxOffset = 1_000_000;
}

/// <summary>A page of the catalogue, newest first; <paramref name="Next"/> is the cursor of the next page, if there may be one.</summary>
public sealed record CataloguePage(IReadOnlyList<CatalogueEntry> Batches, int Limit, int Offset, string? Next = null);
