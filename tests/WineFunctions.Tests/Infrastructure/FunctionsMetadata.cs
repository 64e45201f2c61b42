using System.Text.Json.Nodes;

namespace WineFunctions.Tests.Infrastructure;

/// <summary>The functions.metadata the Worker SDK wrote for a Functions app of this solution, as built alongside the tests.</summary>
internal static class FunctionsMetadata
{
    public static JsonArray Read(string projectFolder)
    {
        // The tests run from tests/WineFunctions.Tests/bin/<Configuration>/net10.0.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var path = Path.Combine(NodeServer.RepositoryRoot(), projectFolder, "bin", configuration, "net10.0", "functions.metadata");
        Assert.True(File.Exists(path), $"{path} is missing: build the solution first");
        return JsonNode.Parse(File.ReadAllText(path))!.AsArray();
    }
}
