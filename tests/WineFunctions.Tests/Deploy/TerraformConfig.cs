using System.Diagnostics;
using System.Text.Json.Nodes;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Deploy;

/// <summary>A named block of a Terraform module (variable, output, module call, resource, data source) and the file it is in.</summary>
internal sealed record TerraformBlock(string Module, string File, string Type, string Name, JsonObject Body)
{
    public string Where => Type.Length == 0 ? $"{File}: {Name}" : $"{File}: {Type}.{Name}";
}

/// <summary>
/// Every .tf file under infra/terraform, parsed by HashiCorp's HCL parser (@cdktf/hcl2json, run in
/// node from .test-tools) into its JSON form, grouped by module folder ("" is the root module).
/// </summary>
internal sealed class TerraformConfig
{
    private static readonly Lazy<TerraformConfig> Parsed = new(Parse);

    private TerraformConfig(IReadOnlyDictionary<string, JsonObject> files) => Files = files;

    public static TerraformConfig Instance => Parsed.Value;

    public static string Folder => Path.Combine(NodeServer.RepositoryRoot(), "infra", "terraform");

    /// <summary>Relative path ('/'-separated) => the file's HCL as JSON.</summary>
    public IReadOnlyDictionary<string, JsonObject> Files { get; }

    public IEnumerable<string> Modules => Files.Keys.Select(ModuleOf).Distinct().Order(StringComparer.Ordinal);

    public static string ModuleOf(string file) => file.Contains('/') ? file[..file.LastIndexOf('/')] : "";

    /// <summary>Blocks with one label: variable, output, module, provider.</summary>
    public IEnumerable<TerraformBlock> Blocks(string kind, string? module = null) =>
        from file in FilesOf(module)
        where file.Value[kind] is JsonObject
        from named in file.Value[kind]!.AsObject()
        from body in named.Value!.AsArray()
        select new TerraformBlock(ModuleOf(file.Key), file.Key, "", named.Key, body!.AsObject());

    /// <summary>Blocks with two labels: resource, data.</summary>
    public IEnumerable<TerraformBlock> Resources(string kind, string? module = null) =>
        from file in FilesOf(module)
        where file.Value[kind] is JsonObject
        from typed in file.Value[kind]!.AsObject()
        from named in typed.Value!.AsObject()
        from body in named.Value!.AsArray()
        select new TerraformBlock(ModuleOf(file.Key), file.Key, typed.Key, named.Key, body!.AsObject());

    /// <summary>The merged locals of a module.</summary>
    public JsonObject Locals(string module)
    {
        var locals = new JsonObject();
        foreach (var file in FilesOf(module))
        {
            foreach (var block in file.Value["locals"]?.AsArray() ?? [])
            {
                foreach (var (name, value) in block!.AsObject())
                {
                    locals[name] = value?.DeepClone();
                }
            }
        }
        return locals;
    }

    /// <summary>The module folder a module call's local source points to, relative to infra/terraform.</summary>
    public static string Target(TerraformBlock call)
    {
        var source = (string)call.Body["source"]!;
        var absolute = Path.GetFullPath(Path.Combine(Folder, call.Module, source));
        return Path.GetRelativePath(Folder, absolute).Replace(Path.DirectorySeparatorChar, '/') is var relative && relative == "." ? "" : relative;
    }

    private IEnumerable<KeyValuePair<string, JsonObject>> FilesOf(string? module) =>
        Files.Where(f => module is null || ModuleOf(f.Key) == module);

    private static TerraformConfig Parse()
    {
        var root = NodeServer.RepositoryRoot();
        var parser = Path.Combine(root, ".test-tools", "node_modules", "@cdktf", "hcl2json", "package.json");
        if (!File.Exists(parser))
        {
            throw new InvalidOperationException($"{parser} is missing: ./test.sh installs it (npm install --prefix .test-tools @cdktf/hcl2json)");
        }
        var script = Path.Combine(root, "tests", "WineFunctions.Tests", "Deploy", "hcl2json.mjs");
        using var node = Process.Start(new ProcessStartInfo("node", [script, root, Folder])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = node.StandardOutput.ReadToEndAsync();
        var error = node.StandardError.ReadToEndAsync();
        node.WaitForExit();
        if (node.ExitCode != 0)
        {
            throw new InvalidOperationException($"HCL parse failed: {error.Result}");
        }
        var files = JsonNode.Parse(output.Result)!.AsObject();
        return new TerraformConfig(files.ToDictionary(f => f.Key, f => f.Value!.AsObject()));
    }
}
