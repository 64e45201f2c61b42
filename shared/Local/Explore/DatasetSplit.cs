using WineFunctions.Samples;

namespace WineFunctions.Explore;

/// <summary>A data set cut in two: rows to train on and rows held out to test.</summary>
public sealed record SplitDataset(IReadOnlyList<LabelledSample> Train, IReadOnlyList<LabelledSample> Test, int DuplicateGroups, int DuplicateRows);

/// <summary>
/// A stratified, seeded train/test split that never splits duplicates: rows with the same colour
/// and the same 11 measurements (the same wine measured twice, or two casks that read alike) form
/// a group that goes to one side whole, so the test set never holds a row the model trained on.
/// </summary>
public static class DatasetSplit
{
    public static SplitDataset Split(IReadOnlyList<LabelledSample> rows, double testFraction, int seed)
    {
        var groups = rows.GroupBy(MeasurementKey)
            // A stable order before shuffling, so the same rows and seed give the same split.
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.ToList())
            .ToList();
        var random = new Random(seed);
        var train = new List<LabelledSample>();
        var test = new List<LabelledSample>();
        // Stratify on the class most of a group's rows carry.
        foreach (var byClass in groups.GroupBy(g => g.GroupBy(r => r.Class).OrderByDescending(c => c.Count()).ThenBy(c => c.Key).First().Key).OrderBy(c => c.Key))
        {
            var classGroups = byClass.ToList();
            random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(classGroups));
            var classRows = classGroups.Sum(g => g.Count);
            // At least one group held out and one kept, where the class has two.
            var target = classGroups.Count < 2 ? 0 : Math.Max(1, (int)Math.Round(testFraction * classRows));
            var held = 0;
            for (var i = 0; i < classGroups.Count; i++)
            {
                var toTest = held < target && i < classGroups.Count - 1;
                (toTest ? test : train).AddRange(classGroups[i]);
                held += toTest ? classGroups[i].Count : 0;
            }
        }
        var duplicates = groups.Where(g => g.Count > 1).ToList();
        return new SplitDataset(train, test, duplicates.Count, duplicates.Sum(g => g.Count));
    }

    /// <summary>Colour and measurements exactly as stored: the lab rounds them, so equal readings are equal doubles.</summary>
    public static string MeasurementKey(LabelledSample row) =>
        row.Sample.Wine.Name() + ";" +
        string.Join(';', row.Sample.Measurements().Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
}
