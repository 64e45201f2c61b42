using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WineFunctions.Lake;

namespace WineFunctions.Tests.Deploy;

/// <summary>
/// What a reviewer checks in infra/terraform, on every .tf file as HashiCorp's HCL parser reads it
/// (Terraform itself cannot run here). Each check collects every problem and names where it is.
/// </summary>
public sealed partial class TerraformChecks
{
    private static readonly string[] Functions = ["ingest", "sink", "train_trigger", "predict", "ratings_api"];
    private static readonly HashSet<string> MetaArguments = ["count", "for_each", "depends_on", "lifecycle", "provider", "provisioner", "connection"];
    private static readonly HashSet<string> ModuleMetaArguments = ["source", "version", "count", "for_each", "depends_on", "providers"];

    private readonly TerraformConfig _tf = TerraformConfig.Instance;

    [GeneratedRegex("(?i)(password|secret|token|credential|access_?key|private_?key|connection_?string)")]
    private static partial Regex SecretName();

    [Fact]
    public void Every_module_and_example_is_complete()
    {
        var problems = new List<string>();
        Assert.Contains("", _tf.Modules);
        Assert.Contains("examples/azure-centred", _tf.Modules);
        Assert.Contains("examples/split-aws-azure", _tf.Modules);
        Assert.True(_tf.Modules.Count(m => m.StartsWith("modules/", StringComparison.Ordinal)) >= 6, string.Join(", ", _tf.Modules));
        foreach (var module in _tf.Modules)
        {
            var files = module.StartsWith("examples/", StringComparison.Ordinal)
                ? new[] { "versions.tf", "main.tf", "variables.tf", "outputs.tf", "README.md", "terraform.tfvars.example" }
                : ["versions.tf", "main.tf", "variables.tf", "outputs.tf", "README.md"];
            problems.AddRange(files.Where(f => !File.Exists(Path.Combine(TerraformConfig.Folder, module, f))).Select(f => $"{module}/{f} is missing"));
        }
        Assert.Empty(problems);
    }

    [Fact]
    public void Versions_pin_terraform_and_every_provider_a_module_uses()
    {
        var problems = new List<string>();
        foreach (var module in _tf.Modules)
        {
            var terraform = _tf.Files.Where(f => TerraformConfig.ModuleOf(f.Key) == module && f.Value["terraform"] is not null)
                .SelectMany(f => f.Value["terraform"]!.AsArray()).Select(t => t!.AsObject()).ToList();
            if (terraform.Count != 1 || terraform[0]["required_version"] is null)
            {
                problems.Add($"{module}: one terraform block with required_version");
                continue;
            }
            var pinned = terraform[0]["required_providers"]?[0]?.AsObject() ?? [];
            var used = _tf.Resources("resource", module).Concat(_tf.Resources("data", module)).Select(r => r.Type[..r.Type.IndexOf('_')]).ToHashSet();
            foreach (var provider in used)
            {
                if (pinned[provider]?["version"] is null || (string?)pinned[provider]?["source"] != $"hashicorp/{provider}")
                {
                    problems.Add($"{module}: provider {provider} is used but not pinned (source and version) in versions.tf");
                }
            }
        }
        Assert.Empty(problems);
    }

    [Fact]
    public void Every_variable_is_typed_and_described_and_every_output_described()
    {
        var problems = new List<string>();
        foreach (var variable in _tf.Blocks("variable"))
        {
            if (variable.Body["type"] is null)
            {
                problems.Add($"{variable.Where} has no type");
            }
            if (string.IsNullOrWhiteSpace((string?)variable.Body["description"]))
            {
                problems.Add($"{variable.Where} has no description");
            }
        }
        foreach (var output in _tf.Blocks("output"))
        {
            if (string.IsNullOrWhiteSpace((string?)output.Body["description"]))
            {
                problems.Add($"{output.Where} has no description");
            }
        }
        Assert.Empty(problems);
        Assert.True(_tf.Blocks("variable").Count() > 50, "too few variables found: is the parser reading the files?");
    }

    [Fact]
    public void Every_module_call_passes_only_declared_variables_and_all_required_ones()
    {
        var problems = new List<string>();
        var calls = _tf.Blocks("module").ToList();
        Assert.True(calls.Count >= 10, $"{calls.Count} module calls");
        foreach (var call in calls)
        {
            var target = TerraformConfig.Target(call);
            var variables = _tf.Blocks("variable", target).ToDictionary(v => v.Name, v => v.Body);
            if (variables.Count == 0)
            {
                problems.Add($"{call.Where}: source {call.Body["source"]} has no variables (no module there?)");
                continue;
            }
            foreach (var argument in call.Body.Select(a => a.Key).Where(a => !ModuleMetaArguments.Contains(a)))
            {
                if (!variables.ContainsKey(argument))
                {
                    problems.Add($"{call.Where}: {target} has no variable '{argument}'");
                }
            }
            foreach (var (name, _) in variables.Where(v => !v.Value.ContainsKey("default")))
            {
                if (!call.Body.ContainsKey(name))
                {
                    problems.Add($"{call.Where}: required variable '{name}' of {target} is not passed");
                }
            }
        }
        Assert.Empty(problems);
    }

    [Fact]
    public void Every_placement_value_is_handled_by_a_module_call_and_nothing_else_is()
    {
        var placement = _tf.Blocks("variable", "").Single(v => v.Name == "placement");
        var placed = Regex.Matches((string)placement.Body["type"]!, @"(\w+)\s*=\s*string").Select(m => m.Groups[1].Value);
        Assert.Equal(Functions.Order(), placed.Order());
        Assert.Contains("local.supported_clouds", placement.Body["validation"]!.ToJsonString());
        var supported = _tf.Locals("")["supported_clouds"]!.AsObject();
        Assert.Equal(Functions.Order(), supported.Select(s => s.Key).Order());

        var calls = _tf.Blocks("module", "").ToDictionary(c => c.Name);
        var problems = new List<string>();
        var handled = new HashSet<string>();
        foreach (var (function, clouds) in supported)
        {
            foreach (var cloud in clouds!.AsArray().Select(c => (string)c!))
            {
                var name = $"{function}_{cloud}";
                handled.Add(name);
                if (!calls.TryGetValue(name, out var call))
                {
                    problems.Add($"placement.{function} = \"{cloud}\" has no module call {name}");
                }
                else if ((string?)call.Body["count"] != $"${{var.placement.{function} == \"{cloud}\" ? 1 : 0}}")
                {
                    problems.Add($"module {name} is not counted by placement.{function} == \"{cloud}\": {call.Body["count"]}");
                }
            }
        }
        foreach (var call in calls.Values.Where(c => Functions.Any(f => c.Name.StartsWith(f + "_", StringComparison.Ordinal)) && !handled.Contains(c.Name)))
        {
            problems.Add($"module {call.Name} is for no supported placement value");
        }
        Assert.Empty(problems);
    }

    [Fact]
    public void The_examples_place_every_function_on_a_supported_cloud_next_to_its_trigger()
    {
        var supported = _tf.Locals("")["supported_clouds"]!.AsObject();
        var examples = _tf.Blocks("module").Where(c => c.Module.StartsWith("examples/", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, examples.Count);
        var lakes = new HashSet<string>();
        foreach (var example in examples)
        {
            Assert.Equal("", TerraformConfig.Target(example));
            var placement = example.Body["placement"]!.AsObject();
            var lake = (string)example.Body["lake_cloud"]!;
            lakes.Add(lake);
            Assert.Equal(Functions.Order(), placement.Select(p => p.Key).Order());
            foreach (var (function, cloud) in placement)
            {
                var value = (string)cloud!;
                Assert.True(value == "none" || supported[function]!.AsArray().Any(c => (string)c! == value), $"{example.Module}: {function} = {value}");
            }
            Assert.True((string)placement["predict"]! != "aws" || lake == "aws", $"{example.Module}: predict on aws needs the lake on aws");
            Assert.True(placement.Count(p => (string)p.Value! != "none") >= 4, $"{example.Module} places fewer than four functions");
        }
        Assert.Equal(["aws", "azure"], lakes.Order());
    }

    [Fact]
    public void The_lake_notification_covers_raw_samples_only_and_can_never_match_predictions()
    {
        var notifications = _tf.Resources("resource").Where(r => r.Type == "aws_s3_bucket_notification").ToList();
        Assert.NotEmpty(notifications);
        var problems = new List<string>();
        foreach (var notification in notifications)
        {
            var targets = new[] { "lambda_function", "queue", "topic" }.SelectMany(b => notification.Body[b]?.AsArray() ?? []).ToList();
            Assert.NotEmpty(targets);
            foreach (var target in targets)
            {
                var prefix = (string?)target!["filter_prefix"];
                if (prefix is null)
                {
                    problems.Add($"{notification.Where}: no filter_prefix, so every object (predictions too) triggers it");
                    continue;
                }
                foreach (var value in PossibleValues(notification.Module, prefix))
                {
                    if (value is null)
                    {
                        problems.Add($"{notification.Where}: filter_prefix {prefix} may take a value that cannot be checked");
                    }
                    else if (value.StartsWith(LakeLayout.Predictions, StringComparison.Ordinal) || LakeLayout.Predictions.StartsWith(value, StringComparison.Ordinal))
                    {
                        problems.Add($"{notification.Where}: filter_prefix '{value}' matches keys under {LakeLayout.Predictions}");
                    }
                    else if (value != LakeLayout.RawSamples && value != Registry.ModelRegistry.Promotions)
                    {
                        problems.Add($"{notification.Where}: filter_prefix '{value}' is neither the raw samples prefix {LakeLayout.RawSamples} nor the promotion events {Registry.ModelRegistry.Promotions}");
                    }
                }
            }
        }
        Assert.Empty(problems);
    }

    [Fact]
    public void The_predict_lambda_runs_bootstrap_on_provided_al2023_with_an_on_failure_destination()
    {
        var lambdas = _tf.Resources("resource").Where(r => r.Type == "aws_lambda_function").ToList();
        Assert.NotEmpty(lambdas);
        foreach (var lambda in lambdas)
        {
            Assert.Equal("provided.al2023", (string?)lambda.Body["runtime"]);
            Assert.Equal("bootstrap", (string?)lambda.Body["handler"]);
            var invoke = _tf.Resources("resource", lambda.Module).Where(r => r.Type == "aws_lambda_function_event_invoke_config").ToList();
            Assert.True(invoke.Count == 1, $"{lambda.Where}: no aws_lambda_function_event_invoke_config");
            Assert.Contains($"aws_lambda_function.{lambda.Name}.", (string)invoke[0].Body["function_name"]!);
            var destination = (string?)invoke[0].Body["destination_config"]?[0]?["on_failure"]?[0]?["destination"];
            Assert.False(string.IsNullOrEmpty(destination), $"{invoke[0].Where}: no on_failure destination");
        }
    }

    [Fact]
    public void Buckets_and_containers_are_private_encrypted_and_versioned()
    {
        var problems = new List<string>();
        var resources = _tf.Resources("resource").ToList();
        string Ref(TerraformBlock r) => $"${{{r.Type}.{r.Name}.id}}";
        foreach (var bucket in resources.Where(r => r.Type == "aws_s3_bucket"))
        {
            var same = resources.Where(r => r.Module == bucket.Module && (string?)r.Body["bucket"] == Ref(bucket)).ToList();
            var block = same.SingleOrDefault(r => r.Type == "aws_s3_bucket_public_access_block");
            if (block is null || new[] { "block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets" }.Any(f => block.Body[f]?.GetValue<bool>() != true))
            {
                problems.Add($"{bucket.Where}: public access is not blocked in all four ways");
            }
            if ((string?)same.SingleOrDefault(r => r.Type == "aws_s3_bucket_ownership_controls")?.Body["rule"]?[0]?["object_ownership"] != "BucketOwnerEnforced")
            {
                problems.Add($"{bucket.Where}: ACLs are not disabled (BucketOwnerEnforced)");
            }
            if ((string?)same.SingleOrDefault(r => r.Type == "aws_s3_bucket_versioning")?.Body["versioning_configuration"]?[0]?["status"] != "Enabled")
            {
                problems.Add($"{bucket.Where}: not versioned");
            }
            if (same.SingleOrDefault(r => r.Type == "aws_s3_bucket_server_side_encryption_configuration")?.Body["rule"]?[0]?["apply_server_side_encryption_by_default"]?[0]?["sse_algorithm"] is null)
            {
                problems.Add($"{bucket.Where}: no default encryption");
            }
        }
        problems.AddRange(resources.Where(r => r.Type is "aws_s3_bucket_acl" or "aws_s3_object" && r.Body.ToJsonString().Contains("public", StringComparison.OrdinalIgnoreCase)).Select(r => $"{r.Where}: public ACL"));
        foreach (var document in _tf.Resources("data").Where(d => d.Type == "aws_iam_policy_document"))
        {
            foreach (var statement in document.Body["statement"]?.AsArray() ?? [])
            {
                var anyone = statement!["principals"]?.AsArray().Any(p => p!["identifiers"]!.AsArray().Any(i => (string?)i == "*")) == true;
                if (anyone && (string?)statement["effect"] != "Deny")
                {
                    problems.Add($"{document.Where}: allows any principal");
                }
            }
        }
        foreach (var account in resources.Where(r => r.Type == "azurerm_storage_account"))
        {
            if (account.Body["allow_nested_items_to_be_public"]?.GetValue<bool>() != false)
            {
                problems.Add($"{account.Where}: allow_nested_items_to_be_public is not false");
            }
            if ((string?)account.Body["min_tls_version"] != "TLS1_2" || account.Body["https_traffic_only_enabled"]?.GetValue<bool>() != true)
            {
                problems.Add($"{account.Where}: not TLS 1.2 / HTTPS only");
            }
        }
        foreach (var container in resources.Where(r => r.Type == "azurerm_storage_container"))
        {
            if ((string?)container.Body["container_access_type"] != "private")
            {
                problems.Add($"{container.Where}: container_access_type is not private");
            }
            var account = resources.SingleOrDefault(r => r.Module == container.Module && r.Type == "azurerm_storage_account" && (string?)container.Body["storage_account_id"] == Ref(r));
            if (account?.Body["blob_properties"]?[0]?["versioning_enabled"]?.GetValue<bool>() != true)
            {
                problems.Add($"{container.Where}: its account does not version blobs");
            }
            // A Function App's host account holds its package and the host's state, never lake data; the Elastic Premium
            // content share needs its key, so only there are shared keys allowed.
            var hostAccount = (string?)account?.Body["name"] == "${var.host_storage_account_name}";
            if (account?.Body["infrastructure_encryption_enabled"]?.GetValue<bool>() != true || (!hostAccount && account.Body["shared_access_key_enabled"]?.GetValue<bool>() != false))
            {
                problems.Add($"{container.Where}: its account is not Entra-only with infrastructure encryption");
            }
        }
        problems.AddRange(resources.Where(r => r.Type == "aws_efs_file_system" && r.Body["encrypted"]?.GetValue<bool>() != true).Select(r => $"{r.Where}: not encrypted"));
        problems.AddRange(resources.Where(r => r.Type == "aws_sqs_queue" && r.Body["sqs_managed_sse_enabled"]?.GetValue<bool>() != true && r.Body["kms_master_key_id"] is null).Select(r => $"{r.Where}: not encrypted"));
        Assert.Empty(problems);
        Assert.Contains(resources, r => r.Type == "aws_s3_bucket");
        Assert.Contains(resources, r => r.Type == "azurerm_storage_container");
    }

    [Fact]
    public void No_secret_is_a_default_a_literal_or_a_plain_output()
    {
        var problems = new List<string>();
        foreach (var variable in _tf.Blocks("variable").Where(v => SecretName().IsMatch(v.Name)))
        {
            if (variable.Body["default"] is not null)
            {
                problems.Add($"{variable.Where}: a secret-like variable has a default");
            }
        }
        var bodies = _tf.Resources("resource").Concat(_tf.Resources("data")).Concat(_tf.Blocks("module")).Concat(_tf.Blocks("provider"))
            .Concat(_tf.Blocks("variable").Where(v => v.Body["default"] is not null).Select(v => v with { Body = new JsonObject { ["default"] = v.Body["default"]!.DeepClone() } }));
        foreach (var block in bodies)
        {
            foreach (var (key, value) in Walk(block.Body))
            {
                if (SecretName().IsMatch(key) && value is JsonValue literal && literal.TryGetValue<string>(out var text) && text.Length > 0 && !text.Contains("${", StringComparison.Ordinal))
                {
                    problems.Add($"{block.Where}: {key} is a literal '{text}'");
                }
            }
        }
        foreach (var output in _tf.Blocks("output"))
        {
            var value = output.Body["value"]!.ToJsonString();
            if (Regex.IsMatch(value, "(?i)(access_key|password|secret|connection_string)") && output.Body["sensitive"]?.GetValue<bool>() != true)
            {
                problems.Add($"{output.Where}: exposes a secret without sensitive = true");
            }
        }
        Assert.Empty(problems);
    }

    [Fact]
    public void Every_resource_that_takes_tags_is_tagged()
    {
        var problems = new List<string>();
        foreach (var resource in _tf.Resources("resource"))
        {
            if (ProviderSchemas.Of("resource", resource.Type)?["tags"] is not null && resource.Body["tags"] is null)
            {
                problems.Add($"{resource.Where} has no tags");
            }
        }
        foreach (var call in _tf.Blocks("module").Where(c => _tf.Blocks("variable", TerraformConfig.Target(c)).Any(v => v.Name == "tags")))
        {
            if (call.Body["tags"] is null)
            {
                problems.Add($"{call.Where} passes no tags");
            }
        }
        Assert.Empty(problems);
    }

    [Fact]
    public void Every_resource_and_data_source_argument_is_in_the_provider_schema()
    {
        var problems = new List<string>();
        var checkedBlocks = 0;
        foreach (var kind in new[] { "resource", "data" })
        {
            foreach (var block in _tf.Resources(kind))
            {
                var schema = ProviderSchemas.Of(kind, block.Type);
                if (schema is null)
                {
                    problems.Add($"{block.Where}: no {kind} {block.Type} in the provider schema");
                    continue;
                }
                CheckAgainstSchema(block.Body, schema, $"{block.Where}", problems);
                checkedBlocks++;
            }
        }
        Assert.Empty(problems);
        Assert.True(checkedBlocks > 40, $"{checkedBlocks} blocks checked");
        Assert.Equal("6.25.0", ProviderSchemas.Version("aws"));
        Assert.Equal("4.55.0", ProviderSchemas.Version("azurerm"));
    }

    [Fact]
    public void Package_sh_makes_every_zip_terraform_deploys()
    {
        var script = File.ReadAllText(Path.Combine(TerraformConfig.Folder, "..", "package.sh"));
        var packaged = Regex.Matches(script, @"^wanted ([\w-]+) && package_(lambda|function_app) \1$", RegexOptions.Multiline).Select(m => m.Groups[1].Value + ".zip").ToHashSet();
        var deployed = Regex.Matches(File.ReadAllText(Path.Combine(TerraformConfig.Folder, "main.tf")), @"\$\{var\.artifacts_dir\}/([\w-]+\.zip)").Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Equal(["predict.zip", "ratings-api.zip", "sink.zip", "train-trigger.zip"], deployed.Order());
        Assert.Equal(deployed.Order(), packaged.Order());
        Assert.Matches(@"(?m)^wanted ingest && package_container ingest$", script);
    }

    [Fact]
    public void The_sink_gets_every_setting_its_local_settings_name()
    {
        var local = JsonNode.Parse(File.ReadAllText(Path.Combine(TerraformConfig.Folder, "..", "..", "functions", "sink", "local.settings.json")))!["Values"]!.AsObject();
        var sink = _tf.Blocks("module", "").Single(c => c.Name == "sink_azure").Body.ToJsonString() + _tf.Locals("").ToJsonString();
        // The host's own settings are set by the Function App resource; the folder lake is local only.
        var expected = local.Select(s => s.Key).Except(["FUNCTIONS_WORKER_RUNTIME", "AzureWebJobsStorage", "Lake__Folder"]).ToList();
        Assert.Contains("KafkaPassword", expected);
        Assert.All(expected, setting => Assert.Matches($@"\b{setting}\b", sink));
    }

    /// <summary>Every literal value an expression like ${var.x} can take in a module: the variable's default and what each caller passes.</summary>
    private IEnumerable<string?> PossibleValues(string module, string expression)
    {
        var match = Regex.Match(expression, @"^\$\{var\.(\w+)\}$");
        if (!match.Success)
        {
            return expression.Contains("${", StringComparison.Ordinal) ? [null] : [expression];
        }
        var name = match.Groups[1].Value;
        var values = new List<string?>();
        if (_tf.Blocks("variable", module).Single(v => v.Name == name).Body["default"] is JsonValue fallback)
        {
            values.Add((string)fallback!);
        }
        foreach (var call in _tf.Blocks("module").Where(c => TerraformConfig.Target(c) == module))
        {
            values.AddRange(call.Body[name] is JsonValue passed ? PossibleValues(call.Module, (string)passed!) : []);
        }
        return values;
    }

    private static void CheckAgainstSchema(JsonObject body, JsonObject schema, string where, List<string> problems)
    {
        var dynamicBlocks = new HashSet<string>();
        foreach (var (key, value) in body)
        {
            if (MetaArguments.Contains(key))
            {
                continue;
            }
            if (key == "dynamic")
            {
                foreach (var (name, blocks) in value!.AsObject())
                {
                    dynamicBlocks.Add(name);
                    if (schema[name]?["nested"] is not JsonObject nested)
                    {
                        problems.Add($"{where}: dynamic '{name}' is not a block here");
                        continue;
                    }
                    foreach (var content in blocks!.AsArray().SelectMany(b => b!["content"]?.AsArray() ?? []))
                    {
                        CheckAgainstSchema(content!.AsObject(), nested, $"{where}.{name}", problems);
                    }
                }
                continue;
            }
            if (schema[key] is not JsonObject argument)
            {
                problems.Add($"{where}: '{key}' is not an argument or block of this type");
                continue;
            }
            if (argument["nested"] is JsonObject nestedSchema)
            {
                var items = value switch
                {
                    JsonArray array => array.OfType<JsonObject>().ToList(),
                    JsonObject single => [single],
                    _ => [],
                };
                foreach (var item in items)
                {
                    CheckAgainstSchema(item, nestedSchema, $"{where}.{key}", problems);
                }
            }
        }
        foreach (var (name, argument) in schema)
        {
            if (argument!["required"]!.GetValue<bool>() && !body.ContainsKey(name) && !dynamicBlocks.Contains(name))
            {
                problems.Add($"{where}: required '{name}' is missing");
            }
        }
    }

    private static IEnumerable<(string Key, JsonNode? Value)> Walk(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    yield return (key, value);
                    foreach (var inner in Walk(value))
                    {
                        yield return inner;
                    }
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    foreach (var inner in Walk(item))
                    {
                        yield return inner;
                    }
                }
                break;
        }
    }
}
