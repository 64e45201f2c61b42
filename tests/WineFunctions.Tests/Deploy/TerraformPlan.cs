using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Deploy;

/// <summary>One resource of an example's plan: where it is (e.g. <c>module.wine.module.sink_azure[0]</c>), what it stands in for, and its evaluated arguments.</summary>
internal sealed record PlannedResource(string Module, string Type, string Name, JsonObject Arguments)
{
    /// <summary>The function a module call places, <c>module.wine.module.ratings_api_azure[0]</c> => ratings-api.</summary>
    public string Function
    {
        get
        {
            var call = Module.Split('.')[^1].Split('[')[0];
            return call[..call.LastIndexOf('_')].Replace('_', '-');
        }
    }
}

/// <summary>
/// An example under infra/terraform/examples planned by the real Terraform CLI with the example's
/// own terraform.tfvars.example, over the <see cref="StandInTree"/>: every variable validation,
/// local, module call and argument is evaluated as a real plan would.
/// </summary>
internal sealed class TerraformPlan
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<TerraformPlan>>> Plans = new();

    private TerraformPlan(string example, IReadOnlyList<PlannedResource> resources)
    {
        Example = example;
        Resources = resources;
    }

    public string Example { get; }

    public IReadOnlyList<PlannedResource> Resources { get; }

    public static IEnumerable<string> Examples =>
        Directory.EnumerateDirectories(Path.Combine(TerraformConfig.Folder, "examples")).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    public static Task<TerraformPlan> OfAsync(string example) => Plans.GetOrAdd(example, e => new Lazy<Task<TerraformPlan>>(() => PlanAsync(e))).Value;

    /// <summary>The planned resources standing in for one resource type in modules whose address ends with <paramref name="moduleSuffix"/>.</summary>
    public IEnumerable<PlannedResource> Find(string type, string? moduleSuffix = null) =>
        Resources.Where(r => r.Type == type && (moduleSuffix is null || r.Module.EndsWith(moduleSuffix, StringComparison.Ordinal)));

    private static async Task<TerraformPlan> PlanAsync(string example)
    {
        var work = Directory.CreateTempSubdirectory("wine-rehearsal-");
        try
        {
            // The same layout as the repository, so that the examples find ../../../../artifacts: stand-in packages there.
            var tree = Path.Combine(work.FullName, "infra", "terraform");
            StandInTree.Write(TerraformConfig.Instance, tree);
            var artifacts = Directory.CreateDirectory(Path.Combine(work.FullName, "artifacts")).FullName;
            foreach (var package in new[] { "sink", "train-trigger", "ratings-api", "predict" })
            {
                await File.WriteAllBytesAsync(Path.Combine(artifacts, package + ".zip"), System.Text.Encoding.ASCII.GetBytes("stand-in for " + package));
            }
            var root = Path.Combine(tree, "examples", example);
            File.Copy(Path.Combine(TerraformConfig.Folder, "examples", example, "terraform.tfvars.example"), Path.Combine(root, "rehearsal.tfvars"));
            await TerraformAsync(root, "init", "-input=false", "-backend=false", "-no-color");
            await TerraformAsync(root, "plan", "-input=false", "-refresh=false", "-no-color", "-var-file=rehearsal.tfvars", "-out=rehearsal.plan");
            var plan = JsonNode.Parse(await TerraformAsync(root, "show", "-json", "-no-color", "rehearsal.plan"))!;
            var resources = new List<PlannedResource>();
            Collect(plan["planned_values"]!["root_module"]!.AsObject(), resources);
            return new TerraformPlan(example, resources);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static void Collect(JsonObject module, List<PlannedResource> resources)
    {
        foreach (var resource in module["resources"]?.AsArray() ?? [])
        {
            var name = (string)resource!["name"]!;
            var split = name.LastIndexOf("__", StringComparison.Ordinal);
            resources.Add(new PlannedResource((string?)module["address"] ?? "", name[..split], name[(split + 2)..],
                resource["values"]!["input"]!.AsObject()));
        }
        foreach (var child in module["child_modules"]?.AsArray() ?? [])
        {
            Collect(child!.AsObject(), resources);
        }
    }

    private static async Task<string> TerraformAsync(string folder, params string[] args)
    {
        // No checkpoint call home and no CLI config: the plan needs nothing from the network.
        Environment.SetEnvironmentVariable("CHECKPOINT_DISABLE", "1");
        Environment.SetEnvironmentVariable("TF_CLI_CONFIG_FILE", "/dev/null");
        var (exit, output) = await Commands.RunAsync("terraform", args, folder, TimeSpan.FromMinutes(3));
        if (exit != 0)
        {
            throw new InvalidOperationException($"terraform {string.Join(' ', args)} failed in {folder}:\n{output}");
        }
        return output;
    }
}
