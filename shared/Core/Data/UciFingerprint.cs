using System.IO.Hashing;
using System.Runtime.InteropServices;
using WineFunctions.Samples;

namespace WineFunctions.Data;

/// <summary>
/// Whether rows hold all of one colour's UCI rows (the 1,599 red or 4,898 white of Cortez et al. 2009),
/// in any order: the comparison with the paper's SVM is made only on the rows its figures are of, so
/// training on other data (a warehouse's own, the simulator's) skips it.
/// </summary>
public static class UciFingerprint
{
    private static readonly Dictionary<WineColour, (int Rows, ulong Fingerprint)> Published = new()
    {
        [WineColour.Red] = (1599, 0x425AA4BEB20880E8UL),
        [WineColour.White] = (4898, 0x78DCAFC75A38F9A9UL),
    };

    /// <summary>The colours whose rows among <paramref name="rows"/> are exactly the published ones.</summary>
    public static IReadOnlySet<WineColour> CompleteColours(IEnumerable<LabelledMeasurements> rows) =>
        rows.GroupBy(r => r.Colour)
            .Where(g => Published.TryGetValue(g.Key, out var published) && g.Count() == published.Rows && Of(g) == published.Fingerprint)
            .Select(g => g.Key).ToHashSet();

    /// <summary>An order-independent fingerprint: the sum of each row's XxHash64 (colour, measurements, quality).</summary>
    public static ulong Of(IEnumerable<LabelledMeasurements> rows)
    {
        var sum = 0UL;
        Span<double> row = stackalloc double[Measurement.All.Count + 2];
        foreach (var r in rows)
        {
            row[0] = (double)r.Colour;
            r.Values.CopyTo(row[1..]);
            row[^1] = r.Quality;
            sum += XxHash64.HashToUInt64(MemoryMarshal.AsBytes(row));
        }
        return sum;
    }
}
