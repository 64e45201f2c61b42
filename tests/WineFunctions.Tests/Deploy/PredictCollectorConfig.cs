using System.Text.RegularExpressions;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Deploy;

/// <summary>functions/predict/collector.yaml, the configuration the predict Lambda's collector layer runs.</summary>
internal static class PredictCollectorConfig
{
    public static string Path => System.IO.Path.Combine(NodeServer.RepositoryRoot(), "functions", "predict", "collector.yaml");

    /// <summary>The settings the configuration names (<c>${env:NAME}</c>), which the layer reads from the function's environment.</summary>
    public static IReadOnlyList<string> Settings(string text) => [.. Regex.Matches(text, @"\$\{env:(\w+)\}").Select(m => m.Groups[1].Value)];
}
