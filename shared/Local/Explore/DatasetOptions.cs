using System.Text.RegularExpressions;
using WineFunctions.Samples;

namespace WineFunctions.Explore;

/// <summary>What goes into a labelled data set and how it is split (docs/explore.md).</summary>
public sealed partial record DatasetOptions
{
    /// <summary>The set's name: its folder, and under <c>training/{name}/</c> when uploaded.</summary>
    public required string Name { get; init; }

    /// <summary>A batch is labelled only when at least this many tasters scored it (the UCI data used 3).</summary>
    public int MinTasterScores { get; init; } = 3;

    /// <summary>UTC dates the samples were taken, both inclusive.</summary>
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }

    public WineColour? Colour { get; init; }
    public string? WarehouseId { get; init; }

    public double TestFraction { get; init; } = 0.2;
    public int Seed { get; init; } = 2009;

    /// <summary>Fewer rows than this in any of good, better and best refuses the set.</summary>
    public int MinPerClass { get; init; } = 10;

    /// <summary>Also write train.csv and test.csv in the UCI form (kept local: an upload carries the Parquet set).</summary>
    public bool WriteCsv { get; init; }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._-]{0,63}\z")]
    private static partial Regex NamePattern();

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!NamePattern().IsMatch(Name) || Name.Contains(".."))
        {
            problems.Add($"the name '{Name}' must be 1-64 lower-case letters, digits, '.', '_' or '-'");
        }
        if (MinTasterScores < 1)
        {
            problems.Add("the minimum number of taster scores must be at least 1");
        }
        if (TestFraction is <= 0 or >= 1)
        {
            problems.Add($"the test fraction must be between 0 and 1, not {TestFraction}");
        }
        if (From > To)
        {
            problems.Add($"the date range {From:yyyy-MM-dd}..{To:yyyy-MM-dd} is empty");
        }
        if (MinPerClass < 1)
        {
            problems.Add("the minimum rows per class must be at least 1");
        }
        return problems;
    }
}
