using System.Text.Json.Nodes;
using System.Xml.Linq;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Architecture;

[Trait(Categories.Name, Categories.Unit)]
public sealed class ArchitectureTests
{
    public static TheoryData<string> Functions => [.. ProjectGraph.Forbidden.Keys];

    [Theory]
    [MemberData(nameof(Functions))]
    public void A_function_carries_none_of_the_packages_it_does_not_run(string function)
    {
        var violations = ProjectGraph.Violations(ProjectGraph.Packages(ProjectGraph.Assets(function)), ProjectGraph.Forbidden[function]);
        Assert.True(violations.Count == 0, $"{function}'s restored closure carries {string.Join("; ", violations)}");
    }

    [Fact]
    public void Every_package_family_names_packages_that_exist()
    {
        // The local project carries everything: were a family's ids wrong, the rule above could never fail.
        var packages = ProjectGraph.Packages(ProjectGraph.Assets("shared/Local"));
        var found = ProjectGraph.Violations(packages, ProjectGraph.Families.Keys).Select(v => v[..v.IndexOf(" (", StringComparison.Ordinal)]);
        Assert.Equal(ProjectGraph.Families.Keys.Order(), found.Order());
    }

    [Fact]
    public void A_forbidden_package_in_a_closure_is_named_with_its_family()
    {
        var assets = JsonNode.Parse("""
            { "libraries": {
                "DuckDB.NET.Data.Full/1.5.6.1": { "type": "package" },
                "Parquet.Net/6.1.0": { "type": "package" },
                "WineFunctions.Local/1.0.0": { "type": "project" } } }
            """)!;
        Assert.Equal(["DuckDB (DuckDB.NET.Data.Full)"], ProjectGraph.Violations(ProjectGraph.Packages(assets), ["DuckDB", "ML.NET"]));
    }

    [Fact]
    public void Shared_projects_reference_only_projects_below_them()
    {
        var projects = ProjectGraph.SharedProjects().ToDictionary(p => Path.GetFileNameWithoutExtension(p), p => ProjectGraph.References(XDocument.Load(p)));
        Assert.Equal(ProjectGraph.Layers.Keys.Order(), projects.Keys.Order());
        var violations = projects.SelectMany(p => ProjectGraph.LayerViolations(p.Key, p.Value)).ToList();
        Assert.True(violations.Count == 0, string.Join("; ", violations));
    }

    [Fact]
    public void A_reference_up_or_across_the_layers_is_named()
    {
        Assert.Equal(["WineFunctions.Core (layer 0) references WineFunctions.Training (layer 2)"],
            ProjectGraph.LayerViolations("WineFunctions.Core", ["WineFunctions.Training"]));
        Assert.Single(ProjectGraph.LayerViolations("WineFunctions.Prediction", ["WineFunctions.Core", "WineFunctions.Ratings"]));
        Assert.Single(ProjectGraph.LayerViolations("WineFunctions.Ratings", ["WineFunctions.Cli"]));
        Assert.Single(ProjectGraph.LayerViolations("WineFunctions.Reports", []));
        Assert.Empty(ProjectGraph.LayerViolations("WineFunctions.Training", ["WineFunctions.Core", "WineFunctions.Prediction"]));
    }

    [Theory]
    [InlineData("functions/predict", "WineFunctions.Prediction")]
    [InlineData("functions/sink", "WineFunctions.Core")]
    [InlineData("functions/ratings-api", "WineFunctions.Ratings")]
    [InlineData("functions/train-trigger", "WineFunctions.Training")]
    [InlineData("functions/ingest", "WineFunctions.Streaming")]
    public void Each_function_references_the_one_shared_project_it_runs(string function, string shared)
    {
        var project = Directory.GetFiles(Path.Combine(NodeServer.RepositoryRoot(), function), "*.csproj").Single();
        Assert.Equal([shared], ProjectGraph.References(XDocument.Load(project)));
    }
}
