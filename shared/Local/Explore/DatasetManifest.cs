namespace WineFunctions.Explore;

/// <summary>
/// <c>manifest.json</c> beside a data set's files: how it was cut, what it holds and what it was
/// cut from, with SHA-256 hashes so that anyone can check the files and sources are the same.
/// </summary>
public sealed record DatasetManifest
{
    public required string Name { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required string Lake { get; init; }
    public required DatasetLabel Label { get; init; }
    public required DatasetFilters Filters { get; init; }
    public required DatasetSplitSettings Split { get; init; }
    public required int Batches { get; init; }

    /// <summary>Rows per class ("good", "better", "best") of each side, "train" and "test".</summary>
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Rows { get; init; }

    public required IReadOnlyList<DatasetFile> Files { get; init; }

    /// <summary>The lake objects the rows and labels come from: raw sample objects and taster scores.</summary>
    public required IReadOnlyList<DatasetSource> Sources { get; init; }
}

public sealed record DatasetLabel(string Rule, int MinTasterScores);

public sealed record DatasetFilters(DateOnly? From, DateOnly? To, string? Colour, string? WarehouseId);

public sealed record DatasetSplitSettings(double TestFraction, int Seed, int DuplicateGroups, int DuplicateRows);

public sealed record DatasetFile(string Name, int Rows, long Size, string Sha256);

public sealed record DatasetSource(string Key, long Size, string Sha256);
