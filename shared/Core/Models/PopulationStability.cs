using WineFunctions.Samples;

namespace WineFunctions.Models;

/// <summary>
/// The population stability index of recent values against reference values: bins at the
/// reference's deciles, then the sum of (recent share - reference share) x ln(recent / reference).
/// Industry rules of thumb: under 0.1 stable, 0.1 to 0.25 worth watching, above 0.25 shifted.
/// A model card keeps its training set's bins (<see cref="Reference"/>), so that predict can
/// measure drift without the training set.
/// </summary>
public static class PopulationStability
{
    public const double Watch = 0.1;
    public const double Shifted = 0.25;
    private const int Deciles = 10;
    private const double EmptyShare = 1e-4; // an empty bin would make the logarithm infinite

    public static double Index(IReadOnlyList<double> reference, IReadOnlyList<double> recent)
    {
        if (reference.Count == 0 || recent.Count == 0)
        {
            return 0;
        }
        var edges = Edges(reference);
        return Index(Shares(Counts(reference, edges), reference.Count), Counts(recent, edges), recent.Count);
    }

    /// <summary>The index of <paramref name="counts"/> recent values per bin against the reference's shares of the same bins.</summary>
    public static double Index(IReadOnlyList<double> referenceShares, IReadOnlyList<int> counts, int total)
    {
        var index = 0.0;
        for (var bin = 0; bin < referenceShares.Count; bin++)
        {
            var (p, q) = (Math.Max(EmptyShare, referenceShares[bin]), Math.Max(EmptyShare, (double)counts[bin] / total));
            index += (q - p) * Math.Log(q / p);
        }
        return index;
    }

    public static string Verdict(double index) => index >= Shifted ? "shifted" : index >= Watch ? "watch" : "stable";

    /// <summary>The bin of a value: a value on an edge belongs to the bin above it.</summary>
    public static int BinOf(IReadOnlyList<double> edges, double value)
    {
        var bin = 0;
        while (bin < edges.Count && value >= edges[bin])
        {
            bin++;
        }
        return bin;
    }

    /// <summary>Each measurement's bins and shares in a training set, per colour, for the model card.</summary>
    public static IReadOnlyList<MeasurementBins> Reference(IEnumerable<(WineColour Colour, double[] Values)> rows)
    {
        var bins = new List<MeasurementBins>();
        foreach (var colour in rows.GroupBy(r => r.Colour).OrderBy(g => g.Key))
        {
            for (var m = 0; m < Measurement.All.Count; m++)
            {
                var values = colour.Select(r => r.Values[m]).ToList();
                var edges = Edges(values);
                bins.Add(new MeasurementBins(colour.Key.Name(), Measurement.All[m].Field, edges, Shares(Counts(values, edges), values.Count)));
            }
        }
        return bins;
    }

    /// <summary>Distinct inner decile edges: a value most rows share (citric acid 0, say) makes one bin, not several empty ones.</summary>
    private static double[] Edges(IReadOnlyList<double> reference)
    {
        var sorted = reference.Order().ToArray();
        return Enumerable.Range(1, Deciles - 1).Select(i => sorted[(int)((long)i * (sorted.Length - 1) / Deciles)]).Distinct().ToArray();
    }

    private static int[] Counts(IReadOnlyList<double> values, IReadOnlyList<double> edges)
    {
        var counts = new int[edges.Count + 1];
        foreach (var value in values)
        {
            counts[BinOf(edges, value)]++;
        }
        return counts;
    }

    private static double[] Shares(int[] counts, int total) => [.. counts.Select(c => (double)c / total)];
}

/// <summary>One measurement's distribution in a training set, for one colour: inner bin edges at its deciles, and each bin's share.</summary>
public sealed record MeasurementBins(string Colour, string Measurement, IReadOnlyList<double> Edges, IReadOnlyList<double> Shares);
