using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using WineFunctions.Telemetry;

namespace WineFunctions.Tests.Deploy;

/// <summary>
/// Every deployable Terraform places exports its traces, metrics and logs the way its platform expects
/// (issue 18, item 2), read from the examples' plans: Application Insights for the Function Apps and the
/// Container App, an OTLP collector beside the bridge on ECS and as a layer of the predict Lambda, under
/// the setting names the code reads (<see cref="TelemetryExport"/>).
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
    public async Task The_predict_lambda_with_a_collector_layer_exports_to_it_and_traces_actively()
    {
        var plan = await TerraformPlan.OfAsync("split-aws-azure");
        var lambda = Assert.Single(plan.Find("aws_lambda_function"));
        Assert.Matches(@"^arn:aws:lambda:eu-west-1:\d{12}:layer:aws-otel-collector-[a-z0-9-]+:\d+$", (string?)Assert.Single(lambda.Arguments["layers"]!.AsArray()));
        var variables = lambda.Arguments["environment"]![0]!["variables"]!.AsObject();
        Assert.Equal("http://localhost:4318", (string?)variables[TelemetryExport.OtlpEndpointSetting]);
        Assert.Equal("http/protobuf", (string?)variables["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        // The layer's default configuration takes traces only: logs stay on stdout, metrics wait for a configuration with a pipeline.
        Assert.Equal(("none", "none"), ((string?)variables["OTEL_LOGS_EXPORTER"], (string?)variables["OTEL_METRICS_EXPORTER"]));
        Assert.Equal("Active", (string?)lambda.Arguments["tracing_config"]![0]!["mode"]);
        var traces = Assert.Single(plan.Find("data__aws_iam_policy_document", lambda.Module), d => d.Name == "traces");
        Assert.Contains("xray:PutTraceSegments", traces.Arguments.ToJsonString());
    }
}
