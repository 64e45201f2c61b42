using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using WineFunctions.Telemetry;
using WineFunctions.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace WineFunctions.Tests.Deploy;

/// <summary>
/// Every deployable Terraform places exports its traces, metrics and logs the way its platform expects
/// (issue 18, item 2), read from the examples' plans: Application Insights for the Function Apps and the
/// Container App, an OTLP collector beside the bridge on ECS and as a layer of the predict Lambda (running
/// the configuration packaged with predict), under the setting names the code reads (<see cref="TelemetryExport"/>).
/// </summary>
public sealed class TelemetryWiringTests
{
    public static TheoryData<string> Examples => [.. TerraformPlan.Examples];

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Every_function_app_and_container_app_is_connected_to_application_insights(string example)
    {
        var plan = await TerraformPlan.OfAsync(example);
        var apps = plan.Find("azurerm_linux_function_app").ToList();
        Assert.NotEmpty(apps);
        Assert.All(apps, app => Assert.False(string.IsNullOrEmpty((string?)app.Arguments["site_config"]?[0]?["application_insights_connection_string"]), app.Module));
        foreach (var containerApp in plan.Find("azurerm_container_app"))
        {
            var env = containerApp.Arguments["template"]![0]!["container"]![0]!["env"]!.AsArray();
            var connection = Assert.Single(env, e => (string?)e!["name"] == TelemetryExport.AzureMonitorSetting)!;
            var secret = Assert.Single(containerApp.Arguments["secret"]!.AsArray(), s => (string?)s!["name"] == (string?)connection["secret_name"])!;
            Assert.False(string.IsNullOrEmpty((string?)secret["value"]));
        }
    }

    [Fact]
    public async Task The_bridge_on_ecs_sends_over_otlp_to_a_collector_sidecar_that_may_write_traces()
    {
        var plan = await TerraformPlan.OfAsync("split-aws-azure");
        var task = Assert.Single(plan.Find("aws_ecs_task_definition"));
        var containers = JsonNode.Parse((string)task.Arguments["container_definitions"]!)!.AsArray();
        var bridge = containers.Single(c => (string?)c!["name"] == "bridge")!;
        var collector = containers.Single(c => (string?)c!["name"] == "otel-collector")!;
        Assert.StartsWith("public.ecr.aws/aws-observability/aws-otel-collector:", (string?)collector["image"]);
        Assert.Equal("otel-collector", (string?)bridge["dependsOn"]![0]!["containerName"]);
        var env = bridge["environment"]!.AsArray().ToDictionary(e => (string)e!["name"]!, e => (string)e!["value"]!);
        Assert.Equal(new Uri("http://localhost:4318"), TelemetryExport.OtlpEndpoint(new ConfigurationBuilder()
            .AddInMemoryCollection(env.Select(e => KeyValuePair.Create(e.Key, (string?)e.Value))).Build()));
        Assert.Equal("http/protobuf", env["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        Assert.Equal("none", env["OTEL_LOGS_EXPORTER"]); // the collector's ECS default configuration has no logs pipeline
        var group = Assert.Single(plan.Find("aws_cloudwatch_log_group", task.Module), g => (string?)g.Arguments["name"] == "/aws/ecs/application/metrics");
        Assert.True(group.Arguments["retention_in_days"]!.GetValue<double>() >= 30);
        var telemetry = Assert.Single(plan.Find("data__aws_iam_policy_document", task.Module), d => d.Name == "telemetry");
        Assert.Contains("xray:PutTraceSegments", telemetry.Arguments.ToJsonString());
    }

    [Fact]
    public async Task The_predict_lambda_with_a_collector_layer_exports_traces_and_metrics_to_it_through_the_packaged_configuration()
    {
        var (lambda, variables, plan) = await PredictLambdaAsync();
        Assert.Matches(@"^arn:aws:lambda:eu-west-1:\d{12}:layer:aws-otel-collector-[a-z0-9-]+:\d+$", (string?)Assert.Single(lambda.Arguments["layers"]!.AsArray()));
        Assert.Equal("http://localhost:4318", (string?)variables[TelemetryExport.OtlpEndpointSetting]);
        Assert.Equal("http/protobuf", (string?)variables["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        Assert.Equal("none", (string?)variables["OTEL_LOGS_EXPORTER"]); // logs stay on stdout: the layer has no CloudWatch logs exporter
        Assert.False(variables.ContainsKey("OTEL_METRICS_EXPORTER"), "predict's metrics (the class mix, the drift gauge) must be exported");
        Assert.Equal("/var/task/collector.yaml", (string?)variables["OPENTELEMETRY_COLLECTOR_CONFIG_URI"]);
        var metrics = Assert.Single(plan.Find("aws_cloudwatch_log_group", lambda.Module), g => (string?)g.Arguments["name"] == (string?)variables["WINE_COLLECTOR_METRICS_LOG_GROUP"]);
        Assert.True(metrics.Arguments["retention_in_days"]!.GetValue<double>() >= 30);
        Assert.Equal("Active", (string?)lambda.Arguments["tracing_config"]![0]!["mode"]);
        var telemetry = Assert.Single(plan.Find("data__aws_iam_policy_document", lambda.Module), d => d.Name == "telemetry").Arguments.ToJsonString();
        Assert.Contains("xray:PutTraceSegments", telemetry);
        Assert.Contains("logs:PutLogEvents", telemetry);
    }

    /// <summary>
    /// The configuration the layer runs: it receives where predict exports, sends traces to X-Ray and
    /// metrics to CloudWatch, finds every setting it names, and uses only components the ADOT Lambda
    /// layer is built with (a collector that meets an unknown one does not start, and takes nothing).
    /// </summary>
    [Fact]
    public async Task The_packaged_collector_configuration_takes_predicts_traces_to_xray_and_its_metrics_to_cloudwatch()
    {
        var (_, variables, _) = await PredictLambdaAsync();
        var text = await File.ReadAllTextAsync(PredictCollectorConfig.Path);
        var yaml = new YamlStream();
        yaml.Load(new StringReader(text));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;

        Assert.Equal(new Uri((string)variables[TelemetryExport.OtlpEndpointSetting]!).Authority, Scalar(root, "receivers", "otlp", "protocols", "http", "endpoint"));
        Assert.Equal(["otlp"], Sequence(root, "service", "pipelines", "traces", "receivers"));
        Assert.Equal(["awsxray"], Sequence(root, "service", "pipelines", "traces", "exporters"));
        Assert.Equal(["otlp"], Sequence(root, "service", "pipelines", "metrics", "receivers"));
        Assert.Equal(["awsemf"], Sequence(root, "service", "pipelines", "metrics", "exporters"));
        Assert.All(new[] { "processors", "connectors", "extensions" }, section => Assert.False(root.Children.ContainsKey(section), $"the layer is built without {section} (sigv4auth aside)"));
        // Exporters in every recent layer (older ones had logging and prometheus, newer ones debug instead).
        string[] receivers = ["otlp"], exporters = ["awsxray", "awsemf", "prometheusremotewrite", "otlp", "otlphttp"];
        Assert.All(Keys(root, "receivers"), name => Assert.Contains(name.Split('/')[0], receivers));
        Assert.All(Keys(root, "exporters"), name => Assert.Contains(name.Split('/')[0], exporters));
        var named = PredictCollectorConfig.Settings(text);
        Assert.NotEmpty(named);
        Assert.All(named, setting => Assert.True(variables.ContainsKey(setting), $"{setting} is not set on the function"));

        // The package is the publish folder, bootstrap at its root: the file is copied beside it.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        Assert.Equal(text, await File.ReadAllTextAsync(Path.Combine(NodeServer.RepositoryRoot(), "functions", "predict", "bin", configuration, "net10.0", "collector.yaml")));
    }

    private static async Task<(PlannedResource Lambda, JsonObject Variables, TerraformPlan Plan)> PredictLambdaAsync()
    {
        var plan = await TerraformPlan.OfAsync("split-aws-azure");
        var lambda = Assert.Single(plan.Find("aws_lambda_function"));
        return (lambda, lambda.Arguments["environment"]![0]!["variables"]!.AsObject(), plan);
    }

    private static YamlNode Node(YamlMappingNode root, params string[] path) =>
        path.Aggregate((YamlNode)root, (node, key) => ((YamlMappingNode)node).Children[new YamlScalarNode(key)]);

    private static string? Scalar(YamlMappingNode root, params string[] path) => ((YamlScalarNode)Node(root, path)).Value;

    private static string[] Sequence(YamlMappingNode root, params string[] path) => [.. ((YamlSequenceNode)Node(root, path)).Children.Select(c => ((YamlScalarNode)c).Value!)];

    private static IEnumerable<string> Keys(YamlMappingNode root, string section) => ((YamlMappingNode)Node(root, section)).Children.Keys.Select(k => ((YamlScalarNode)k).Value!);
}
