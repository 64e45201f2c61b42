using WineFunctions.Samples;

namespace WineFunctions.Ratings;

/// <summary>A batch recommended to a customer: how close it is to one they liked, and where to buy it.</summary>
public sealed record Recommendation(string BatchId, WineColour Colour, QualityClass? PredictedClass, double Distance, string SimilarTo, Offer? Offer);

public sealed record Recommendations(string CustomerId, QualityClass? PreferredClass, IReadOnlyList<string> Liked, IReadOnlyList<Recommendation> Batches);

/// <summary>
/// Batches like the ones a customer rated highly: nearest in the 11 measurements (batch means,
/// each standardised over all batches so that grams of sugar do not drown pH), of the class the
/// customer prefers, not yet rated by them.
/// </summary>
public static class Recommender
{
    /// <summary>4 and 5 stars count as liked.</summary>
    public const int LikedStars = 4;

    public static Recommendations Recommend(string customerId, IReadOnlyList<Rating> ratings, IReadOnlyList<Batch> batches,
        DistributorsFile distributors, GeoPoint? location, int limit)
    {
        // A customer's standing ratings: one per batch.
        var stars = ratings.ToDictionary(r => r.BatchId, r => r.Stars, StringComparer.Ordinal);
        var byId = batches.ToDictionary(b => b.BatchId, StringComparer.Ordinal);
        var liked = stars.Where(r => r.Value >= LikedStars && byId.ContainsKey(r.Key)).Select(r => byId[r.Key]).OrderBy(b => b.BatchId, StringComparer.Ordinal).ToList();
        if (liked.Count == 0 || batches.Count == 0)
        {
            return new Recommendations(customerId, null, [], []);
        }
        var preferred = liked.Where(b => b.Prediction is not null)
            .GroupBy(b => b.Prediction!.PredictedClass)
            .OrderByDescending(g => g.Count()).ThenByDescending(g => g.Key)
            .Select(g => (QualityClass?)g.Key).FirstOrDefault();

        var (mean, spread) = Scale(batches);
        double[] Standard(Batch b) => b.Means().Select((v, i) => (v - mean[i]) / spread[i]).ToArray();
        var likedVectors = liked.Select(b => (b.BatchId, Vector: Standard(b))).ToList();

        var chosen = batches
            .Where(b => !stars.ContainsKey(b.BatchId))
            .Where(b => preferred is null || b.Prediction?.PredictedClass == preferred)
            .Select(b =>
            {
                var vector = Standard(b);
                var nearest = likedVectors.Select(l => (l.BatchId, Distance: Euclidean(vector, l.Vector))).MinBy(l => l.Distance);
                return (Batch: b, nearest.BatchId, nearest.Distance);
            })
            .OrderBy(c => c.Distance).ThenBy(c => c.Batch.BatchId, StringComparer.Ordinal)
            .Take(limit)
            .Select(c => new Recommendation(c.Batch.BatchId, c.Batch.Colour, c.Batch.Prediction?.PredictedClass, Math.Round(c.Distance, 3), c.BatchId,
                DistributorDirectory.BestOffer(distributors, c.Batch.BatchId, location)))
            .ToList();
        return new Recommendations(customerId, preferred, liked.Select(b => b.BatchId).ToList(), chosen);
    }

    private static (double[] Mean, double[] Spread) Scale(IReadOnlyList<Batch> batches)
    {
        var count = Measurement.All.Count;
        var mean = new double[count];
        var spread = new double[count];
        for (var i = 0; i < count; i++)
        {
            var values = batches.Select(b => b.Measurements[i].Mean).ToArray();
            mean[i] = values.Average();
            var deviation = Math.Sqrt(values.Sum(v => (v - mean[i]) * (v - mean[i])) / values.Length);
            spread[i] = deviation > 1e-12 ? deviation : 1; // a measurement all batches share says nothing about similarity
        }
        return (mean, spread);
    }

    private static double Euclidean(double[] a, double[] b) => Math.Sqrt(a.Select((v, i) => (v - b[i]) * (v - b[i])).Sum());
}
