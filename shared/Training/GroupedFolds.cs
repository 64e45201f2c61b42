using System.Globalization;
using WineFunctions.Data;

namespace WineFunctions.Training;

/// <summary>
/// Stratified k-fold over groups of identical rows. The UCI data holds over a thousand exact
/// duplicates; a duplicate on both sides of a split lets a model be scored on rows it has
/// memorised, so every copy of a row lands in the same fold. Groups are dealt round-robin within
/// their class after a seeded shuffle, which keeps each fold's class balance close to the whole.
/// </summary>
public static class GroupedFolds
{
    /// <summary>Rows with the same colour and the same 11 measurements form one group.</summary>
    public static string GroupKey(LabelledMeasurements row) =>
        string.Create(CultureInfo.InvariantCulture, $"{row.Colour}|{string.Join('|', row.Values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}");

    /// <returns>The fold (0 to <paramref name="folds"/> - 1) of each row.</returns>
    public static int[] Assign(IReadOnlyList<LabelledMeasurements> rows, int folds, int seed)
    {
        var random = new Random(seed);
        var groups = Enumerable.Range(0, rows.Count).GroupBy(i => GroupKey(rows[i]), StringComparer.Ordinal).ToList();
        var assigned = new int[rows.Count];
        foreach (var byClass in groups.GroupBy(g => g.Select(i => rows[i].Class).GroupBy(c => c).MaxBy(c => c.Count())!.Key).OrderBy(c => c.Key))
        {
            var shuffled = byClass.ToArray();
            random.Shuffle(shuffled);
            for (var n = 0; n < shuffled.Length; n++)
            {
                foreach (var row in shuffled[n])
                {
                    assigned[row] = n % folds;
                }
            }
        }
        return assigned;
    }

    public static int DuplicateRows(IReadOnlyList<LabelledMeasurements> rows) =>
        rows.Count - rows.Select(GroupKey).Distinct(StringComparer.Ordinal).Count();
}
