using System.Text.Json.Nodes;
using System.Xml.Linq;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Architecture;

/// <summary>
/// The project graph as docs/architecture.md draws it, and the rules read off the files the build
/// itself uses: each csproj's project references, and each function's restored closure
/// (<c>obj/project.assets.json</c>).
/// </summary>
internal static class ProjectGraph
{
    /// <summary>The shared projects by layer: a project references only projects of lower layers.</summary>
    public static readonly IReadOnlyDictionary<string, int> Layers = new Dictionary<string, int>
    {
        ["WineFunctions.Core"] = 0,
        ["WineFunctions.Prediction"] = 1,
        ["WineFunctions.Ratings"] = 1,
        ["WineFunctions.Training"] = 2,
        ["WineFunctions.Streaming"] = 2,
        ["WineFunctions.Local"] = 3,
    };

    /// <summary>Packages by what they are, so a rule names the heavy dependency, not every one of its package ids.</summary>
    public static readonly IReadOnlyDictionary<string, Func<string, bool>> Families = new Dictionary<string, Func<string, bool>>
    {
        ["ML.NET"] = id => Is(id, "Microsoft.ML") || Is(id, "LightGBM"),
        ["DuckDB"] = id => Is(id, "DuckDB.NET"),
        ["SkiaSharp"] = id => Is(id, "SkiaSharp") || Is(id, "HarfBuzzSharp") || Is(id, "ScottPlot"),
        ["SQLite"] = id => Is(id, "Microsoft.Data.Sqlite") || Is(id, "SQLitePCLRaw"),
        ["Npgsql"] = id => Is(id, "Npgsql"),
        ["MQTTnet"] = id => Is(id, "MQTTnet"),
        ["Kafka"] = id => Is(id, "Confluent.Kafka") || Is(id, "librdkafka.redist"),
    };

    /// <summary>What each deployable must not carry: it references only what it runs.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Forbidden = new Dictionary<string, string[]>
    {
        ["functions/predict"] = ["ML.NET", "DuckDB", "SkiaSharp", "SQLite", "Npgsql", "MQTTnet", "Kafka"],
        ["functions/sink"] = ["ML.NET", "DuckDB", "SkiaSharp", "SQLite", "Npgsql", "MQTTnet"],
        ["functions/ratings-api"] = ["ML.NET", "DuckDB", "SkiaSharp", "MQTTnet", "Kafka"],
        ["functions/train-trigger"] = ["DuckDB", "SkiaSharp", "SQLite", "Npgsql", "MQTTnet", "Kafka"],
        ["functions/ingest"] = ["ML.NET", "DuckDB", "SkiaSharp", "SQLite", "Npgsql"],
    };

    private static bool Is(string id, string family) =>
        id.Equals(family, StringComparison.OrdinalIgnoreCase) || id.StartsWith(family + ".", StringComparison.OrdinalIgnoreCase);

    /// <summary>The packages in a restored closure (the libraries of type package in project.assets.json).</summary>
    public static IReadOnlyList<string> Packages(JsonNode assets) =>
        [.. assets["libraries"]!.AsObject().Where(l => (string?)l.Value!["type"] == "package").Select(l => l.Key.Split('/')[0])];

    public static JsonNode Assets(string projectFolder)
    {
        var path = Path.Combine(NodeServer.RepositoryRoot(), projectFolder, "obj", "project.assets.json");
        Assert.True(File.Exists(path), $"{path} is missing: restore the solution first");
        return JsonNode.Parse(File.ReadAllText(path))!;
    }

    /// <summary>Each forbidden family found in a closure, with the packages that brought it.</summary>
    public static IReadOnlyList<string> Violations(IEnumerable<string> packages, IEnumerable<string> forbidden) =>
        [.. forbidden.Select(family => (family, found: packages.Where(Families[family]).ToList()))
            .Where(f => f.found.Count > 0)
            .Select(f => $"{f.family} ({string.Join(", ", f.found)})")];

    /// <summary>The project references of a csproj, as project names.</summary>
    public static IReadOnlyList<string> References(XDocument project) =>
        [.. project.Descendants("ProjectReference").Select(r => Path.GetFileNameWithoutExtension(((string)r.Attribute("Include")!).Replace('\\', '/')))];

    /// <summary>A shared project's references that do not point strictly down the layers, or at a project without a layer.</summary>
    public static IReadOnlyList<string> LayerViolations(string project, IEnumerable<string> references)
    {
        if (!Layers.TryGetValue(project, out var layer))
        {
            return [$"{project} has no layer: add it to docs/architecture.md and ProjectGraph.Layers"];
        }
        return [.. references.Where(r => !Layers.TryGetValue(r, out var other) || other >= layer)
            .Select(r => Layers.TryGetValue(r, out var other) ? $"{project} (layer {layer}) references {r} (layer {other})" : $"{project} references {r}, which is not a shared project")];
    }

    public static IEnumerable<string> SharedProjects() =>
        Directory.EnumerateFiles(Path.Combine(NodeServer.RepositoryRoot(), "shared"), "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"));
}
