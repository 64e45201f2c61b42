using System.Text.Json;
using System.Text.Json.Nodes;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Deploy;

/// <summary>
/// The deployment rehearsal (issue 16): each example planned by Terraform, and each function it
/// places started with exactly the settings that plan gives it, secret references replaced by
/// local stand-ins of the same shape. Every Function App's local.settings.json is held to the same rule.
/// </summary>
public sealed class DeploymentRehearsalTests
{
    public static TheoryData<string> Examples => [.. TerraformPlan.Examples];

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Every_function_an_example_places_starts_with_the_settings_terraform_gives_it(string example)
    {
        var plan = await TerraformPlan.OfAsync(example);
        var placed = PlacedSettings(plan);
        Assert.Equal(Placement(example), placed.Keys.Order(StringComparer.Ordinal));
        var problems = placed.SelectMany(p => FunctionRehearsal.Problems(p.Key, p.Value).Select(problem => $"{example}, {p.Key}: {problem}")).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    public static TheoryData<string> FunctionApps => ["sink", "train-trigger", "ratings-api"];

    [Theory]
    [MemberData(nameof(FunctionApps))]
    public void Every_local_settings_json_starts_its_function(string function)
    {
        var file = Path.Combine(NodeServer.RepositoryRoot(), "functions", function, "local.settings.json");
        var values = JsonNode.Parse(File.ReadAllText(file))!["Values"]!.AsObject();
        var settings = values.ToDictionary(v => v.Key, v => (string)v.Value!);
        // Core Tools runs the app as Development.
        settings["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development";
        Assert.Empty(FunctionRehearsal.Problems(function, settings));
    }

    [Fact]
    public void The_rehearsal_refuses_a_setting_under_another_name_an_unresolved_binding_and_a_missing_required_setting()
    {
        var problems = FunctionRehearsal.Problems("ratings-api", new Dictionary<string, string>
        {
            ["Lake__Kind"] = "Folder",
            ["Lake__Folder"] = Path.GetTempPath(),
            ["Ratings__Issuer"] = "https://login.example/",
        });
        Assert.Contains(problems, p => p.StartsWith("Ratings__Issuer:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Ratings:Jwt:Issuer", StringComparison.Ordinal));
        var train = FunctionRehearsal.Problems("train-trigger", new Dictionary<string, string> { ["Lake__Kind"] = "Folder", ["Lake__Folder"] = Path.GetTempPath() });
        Assert.Contains("the binding expression %LakeContainer% is not resolved by any setting", train);
        Assert.Contains(FunctionRehearsal.Problems("ingest", new Dictionary<string, string> { ["Zone__Name"] = "aws-eu" }),
            p => p.StartsWith("Zone__Name: nothing in ingest reads it", StringComparison.Ordinal));
    }

    /// <summary>The functions the example's placement puts in a cloud.</summary>
    private static IEnumerable<string> Placement(string example)
    {
        var wine = TerraformConfig.Instance.Blocks("module").Single(b => b.File == $"examples/{example}/main.tf" && b.Name == "wine");
        return wine.Body["placement"]!.AsObject().Where(p => (string)p.Value! != "none").Select(p => p.Key.Replace('_', '-')).Order(StringComparer.Ordinal);
    }

    /// <summary>Function => the settings its runtime gets: Function App settings, Lambda environment, container environment and secrets.</summary>
    private static Dictionary<string, Dictionary<string, string>> PlacedSettings(TerraformPlan plan)
    {
        var placed = new Dictionary<string, Dictionary<string, string>>();
        foreach (var app in plan.Find("azurerm_linux_function_app"))
        {
            placed[app.Function] = app.Arguments["app_settings"]!.AsObject().ToDictionary(s => s.Key, s => StandIn(s.Key, (string)s.Value!));
        }
        foreach (var lambda in plan.Find("aws_lambda_function"))
        {
            placed[lambda.Function] = lambda.Arguments["environment"]![0]!["variables"]!.AsObject().ToDictionary(s => s.Key, s => (string)s.Value!);
        }
        foreach (var task in plan.Find("aws_ecs_task_definition"))
        {
            var container = JsonNode.Parse((string)task.Arguments["container_definitions"]!)![0]!;
            var settings = container["environment"]!.AsArray().ToDictionary(e => (string)e!["name"]!, e => (string)e!["value"]!);
            foreach (var secret in container["secrets"]?.AsArray() ?? [])
            {
                settings[(string)secret!["name"]!] = StandIn((string)secret["name"]!, "secretsmanager:" + (string)secret["valueFrom"]!);
            }
            placed[task.Function] = settings;
        }
        foreach (var containerApp in plan.Find("azurerm_container_app"))
        {
            var env = containerApp.Arguments["template"]![0]!["container"]![0]!["env"]!.AsArray();
            placed[containerApp.Function] = env.ToDictionary(e => (string)e!["name"]!,
                e => e!["value"] is { } value ? (string)value! : StandIn((string)e["name"]!, "keyvault:" + (string)e["secret_name"]!));
        }
        return placed;
    }

    /// <summary>A secret reference becomes a local value of the shape the setting needs; a plain value stays.</summary>
    private static string StandIn(string name, string value)
    {
        var secret = value.StartsWith("@Microsoft.KeyVault(", StringComparison.Ordinal) || value.StartsWith("keyvault:", StringComparison.Ordinal) ||
            value.StartsWith("secretsmanager:", StringComparison.Ordinal);
        if (!secret)
        {
            return value;
        }
        return name switch
        {
            _ when name.EndsWith("ConnectionString", StringComparison.Ordinal) && name.StartsWith("Ratings__", StringComparison.Ordinal) =>
                "Host=standin.postgres.example;Database=ratings;Username=ratings_api;Password=standin",
            _ => "standin-secret-" + JsonNamingPolicy.KebabCaseLower.ConvertName(name.Replace("__", "-", StringComparison.Ordinal)),
        };
    }
}
