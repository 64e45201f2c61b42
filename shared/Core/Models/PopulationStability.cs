namespace WineFunctions.Explore.Report;

/// <summary>
/// The population stability index of recent values against reference values: bins at the
/// reference's deciles, then the sum of (recent share - reference share) x ln(recent / reference).
/// Industry rules of thumb: under 0.1 stable, 0.1 to 0.25 worth watching, above 0.25 shifted.
/// </summary>
public static class PopulationStability
{
    public const double Watch = 0.1;
    public const double Shifted = 0.25;
    private const int Bins = 10;
    private const double EmptyShare = 1e-4; // an empty bin would make the logarithm infinite

    public static double Index(IReadOnlyList<double> reference, IReadOnlyList<double> recent)
    {
        if (reference.Count == 0 || recent.Count == 0)
        {
            return 0;
        }
        var sorted = reference.Order().ToArray();
        // Distinct inner edges: a value most rows share (citric acid 0, say) makes one bin, not several empty ones.
        var edges = Enumerable.Range(1, Bins - 1).Select(i => sorted[(int)((long)i * (sorted.Length - 1) / Bins)]).Distinct().ToArray();
        var expected = Shares(reference, edges);
        var actual = Shares(recent, edges);
        return expected.Zip(actual, (p, q) => (q - p) * Math.Log(q / p)).Sum();
    }

    public static string Verdict(double index) => index >= Shifted ? "shifted" : index >= Watch ? "watch" : "stable";

    private static double[] Shares(IReadOnlyList<double> values, double[] edges)
    {
        var counts = new double[edges.Length + 1];
        foreach (var value in values)
        {
            var bin = Array.BinarySearch(edges, value);
            counts[bin >= 0 ? bin + 1 : ~bin]++; // a value on an edge belongs to the bin above it
        }
        return counts.Select(c => Math.Max(EmptyShare, c / values.Count)).ToArray();
    }
}
