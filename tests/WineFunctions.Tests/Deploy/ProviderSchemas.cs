using System.Text.Json.Nodes;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Deploy;

/// <summary>
/// The aws and azurerm provider schemas (arguments and blocks of every resource and data source),
/// compacted by ./test.sh from the CDKTF provider packages' type descriptions
/// (provider-schema.mjs): {"resources": {type: {argument: {"required", "nested"}}}, "data": {...}}.
/// </summary>
internal static class ProviderSchemas
{
    private static readonly Lazy<Dictionary<string, JsonObject>> Loaded = new(() =>
        new[] { "aws", "azurerm" }.ToDictionary(p => p, p =>
        {
            var path = Path.Combine(NodeServer.RepositoryRoot(), ".test-tools", "provider-schemas", p + ".json");
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"{path} is missing: ./test.sh extracts it from @cdktf/provider-{p}");
            }
            return JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        }));

    /// <summary>The schema of a resource ("resource") or data source ("data") type, or null when the provider has none such.</summary>
    public static JsonObject? Of(string kind, string type)
    {
        var provider = type[..type.IndexOf('_')];
        return Loaded.Value.TryGetValue(provider, out var schema)
            ? schema[kind == "resource" ? "resources" : "data"]?[type]?.AsObject()
            : null;
    }

    public static string Version(string provider) => (string)Loaded.Value[provider]["version"]!;
}
