using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WineFunctions.Tests.Deploy;

/// <summary>
/// infra/terraform rewritten so that Terraform itself can evaluate it offline: every resource and
/// data source becomes a <c>terraform_data</c> (Terraform's built-in, no provider to download) whose
/// <c>input</c> is the block's own arguments, evaluated by Terraform as they would be for the real
/// provider; attributes only a cloud would compute (ids, ARNs, endpoints, keys) get stand-ins of the
/// same shape. Variables, validations, locals, module calls and outputs stay as written, so a plan
/// of an example shows exactly what each function would be given.
/// </summary>
internal static partial class StandInTree
{
    private static readonly HashSet<string> MetaArguments = ["count", "for_each", "depends_on", "lifecycle", "provider", "provisioner", "connection"];

    /// <summary>Writes the rewritten tree under <paramref name="target"/>, each file at its own relative path.</summary>
    public static void Write(TerraformConfig config, string target)
    {
        foreach (var (file, hcl) in config.Files)
        {
            var path = Path.Combine(target, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var name = Path.GetFileName(file);
            if (hcl.ContainsKey("terraform") && hcl.Count == 1)
            {
                continue; // versions.tf: required providers that need not (and cannot) be downloaded
            }
            if (name is "variables.tf" or "outputs.tf")
            {
                File.WriteAllText(path, Rewrite(File.ReadAllText(Path.Combine(TerraformConfig.Folder, file))));
                continue;
            }
            File.WriteAllText(path + ".json", Module(hcl).ToJsonString());
        }
    }

    private static JsonObject Module(JsonObject hcl)
    {
        var module = new JsonObject();
        if (hcl["locals"] is JsonArray localBlocks)
        {
            var locals = new JsonObject();
            foreach (var block in localBlocks)
            {
                foreach (var (name, value) in block!.AsObject())
                {
                    locals[name] = Rewrite(value);
                }
            }
            module["locals"] = locals;
        }
        if (hcl["module"] is JsonObject calls)
        {
            var rewritten = new JsonObject();
            foreach (var (name, bodies) in calls)
            {
                var body = bodies!.AsArray()[0]!.AsObject();
                rewritten[name] = new JsonObject(body.Where(a => a.Key is not ("providers" or "depends_on")).Select(a => KeyValuePair.Create(a.Key, Rewrite(a.Value))));
            }
            module["module"] = rewritten;
        }
        var data = new JsonObject();
        foreach (var (kind, prefix) in new[] { ("resource", ""), ("data", "data__") })
        {
            foreach (var (type, named) in hcl[kind]?.AsObject() ?? [])
            {
                foreach (var (name, bodies) in named!.AsObject())
                {
                    data[$"{prefix}{type}__{name}"] = StandIn($"{prefix}{type}__{name}", type, name, bodies!.AsArray()[0]!.AsObject());
                }
            }
        }
        if (data.Count > 0)
        {
            module["resource"] = new JsonObject { ["terraform_data"] = data };
        }
        return module;
    }

    /// <summary>One resource or data source as terraform_data: its meta-arguments, and its arguments plus stand-ins as input.</summary>
    private static JsonObject StandIn(string self, string type, string name, JsonObject body)
    {
        var resource = new JsonObject();
        foreach (var meta in new[] { "count", "for_each" })
        {
            if (body[meta] is { } value)
            {
                resource[meta] = Rewrite(value);
            }
        }
        var input = Expand(new JsonObject(body.Where(a => !MetaArguments.Contains(a.Key)).Select(a => KeyValuePair.Create(a.Key, a.Value?.DeepClone()))));
        foreach (var attribute in ReferencedAttributes(self).Where(a => !input.ContainsKey(a)))
        {
            input[attribute] = StandInValue(type, name, attribute);
        }
        resource["input"] = Rewrite(input);
        return resource;
    }

    /// <summary>The attributes of one stand-in that anything in infra/terraform reads.</summary>
    private static IEnumerable<string> ReferencedAttributes(string standIn) =>
        AllExpressions.Value.SelectMany(text => InputReference().Matches(text))
            .Where(m => m.Groups["resource"].Value == standIn)
            .Select(m => m.Groups["attribute"].Value)
            .Distinct();

    private static readonly Lazy<IReadOnlyList<string>> AllExpressions = new(() =>
        Directory.EnumerateFiles(TerraformConfig.Folder, "*.tf", SearchOption.AllDirectories).Select(f => Rewrite(File.ReadAllText(f))).ToList());

    /// <summary>What a cloud would compute, in its shape: URLs where a URL is read, GUIDs for identities, ARNs and resource ids.</summary>
    private static string StandInValue(string type, string name, string attribute) => attribute switch
    {
        "arn" when type == "aws_iam_role" => $"arn:aws:iam::123456789012:role/wine/standin-{name}",
        "arn" when type == "aws_iam_openid_connect_provider" => "arn:aws:iam::123456789012:oidc-provider/sts.windows.net/standin/",
        "arn" when type == "aws_s3_bucket" => $"arn:aws:s3:::standin-{name}",
        "arn" => $"arn:aws:{type.Split('_')[1]}:eu-west-1:123456789012:{type}/{name}",
        "id" when type.StartsWith("azurerm_", StringComparison.Ordinal) =>
            $"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/standin/providers/{type}/{name}",
        "principal_id" or "client_id" or "tenant_id" => "00000000-0000-0000-0000-00000000abcd",
        "account_id" => "123456789012",
        "region" => "eu-west-1",
        "primary_blob_endpoint" => $"https://standin{name}.blob.core.windows.net/",
        "primary_access_key" => Convert.ToBase64String(new byte[64]),
        "connection_string" => "InstrumentationKey=00000000-0000-0000-0000-000000000000",
        "url" => $"https://standin.example/{type}/{name}",
        "default_hostname" => $"standin-{name}.azurewebsites.net",
        "json" => "{}",
        _ => $"standin-{type}-{name}-{attribute}",
    };

    /// <summary>Dynamic blocks become the list of blocks they would generate, concatenated with static blocks of the same type.</summary>
    private static JsonObject Expand(JsonObject block)
    {
        var result = new JsonObject();
        var dynamic = block["dynamic"]?.AsObject();
        foreach (var (key, value) in block)
        {
            if (key == "dynamic")
            {
                continue;
            }
            result[key] = value switch
            {
                JsonArray blocks when blocks.All(b => b is JsonObject) && dynamic?.ContainsKey(key) != true =>
                    new JsonArray(blocks.Select(b => (JsonNode)Expand(b!.AsObject())).ToArray()),
                _ => value?.DeepClone(),
            };
        }
        foreach (var (label, generators) in dynamic ?? [])
        {
            var parts = new List<string>();
            if (result[label] is JsonArray statics)
            {
                parts.Add(Hcl(new JsonArray(statics.Select(s => (JsonNode?)Expand(s!.AsObject())).ToArray())));
            }
            foreach (var generator in generators!.AsArray())
            {
                var iterator = (string?)generator!["iterator"] ?? label;
                var content = Expand(generator["content"]!.AsArray()[0]!.AsObject());
                var body = Regex.Replace(Hcl(content), $@"\b{iterator}\.(key|value)\b", m => $"{iterator}__{m.Groups[1].Value}");
                parts.Add($"[for {iterator}__key, {iterator}__value in ({Inner((string)generator["for_each"]!)}) : {body}]");
            }
            result[label] = "${concat(" + string.Join(", ", parts) + ")}";
        }
        return result;
    }

    /// <summary>A JSON-syntax value as an HCL expression.</summary>
    private static string Hcl(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject o => "{ " + string.Join(", ", o.Select(p => $"\"{p.Key}\" = {Hcl(p.Value)}")) + " }",
        JsonArray a => "[" + string.Join(", ", a.Select(Hcl)) + "]",
        JsonValue v when v.TryGetValue<string>(out var text) => IsSingleInterpolation(text) ? $"({Inner(text)})" : Template(text),
        _ => node.ToJsonString(),
    };

    private static string Inner(string interpolation) => IsSingleInterpolation(interpolation) ? interpolation[2..^1] : throw new InvalidOperationException($"not an expression: {interpolation}");

    /// <summary>Whether the whole string is one <c>${…}</c>, so that it stands for a value of any type.</summary>
    private static bool IsSingleInterpolation(string text)
    {
        if (!text.StartsWith("${", StringComparison.Ordinal) || !text.EndsWith('}'))
        {
            return false;
        }
        var (depth, quoted) = (0, false);
        for (var i = 1; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                quoted = c != '"' || text[i - 1] == '\\';
                continue;
            }
            depth += c switch { '{' => 1, '}' => -1, _ => 0 };
            quoted = c == '"';
            if (depth == 0)
            {
                return i == text.Length - 1;
            }
        }
        return false;
    }

    /// <summary>A string template as an HCL quoted template: quotes and backslashes escaped outside its interpolations.</summary>
    private static string Template(string text)
    {
        var builder = new StringBuilder("\"");
        var depth = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (depth == 0 && c == '$' && i + 1 < text.Length && text[i + 1] == '{')
            {
                depth = 1;
                builder.Append("${");
                i++;
                continue;
            }
            if (depth > 0)
            {
                depth += c switch { '{' => 1, '}' => -1, _ => 0 };
                builder.Append(c);
                continue;
            }
            builder.Append(c switch { '"' => "\\\"", '\\' => "\\\\", '\n' => "\\n", _ => c.ToString() });
        }
        return builder.Append('"').ToString();
    }

    private static JsonNode? Rewrite(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Rewrite(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Rewrite).ToArray()),
        JsonValue v when v.TryGetValue<string>(out var text) => JsonValue.Create(Rewrite(text)),
        _ => node?.DeepClone(),
    };

    /// <summary><c>aws_s3_bucket.lake[0].arn</c> becomes <c>terraform_data.aws_s3_bucket__lake[0].input.arn</c>, data sources likewise.</summary>
    public static string Rewrite(string text) =>
        ResourceReference().Replace(text, m =>
            $"terraform_data.{(m.Groups["data"].Success ? "data__" : "")}{m.Groups["type"].Value}__{m.Groups["name"].Value}{m.Groups["index"].Value}.input.");

    [GeneratedRegex(@"(?<![\w.])(?<data>data\.)?(?<type>(?:aws|azurerm)_[a-z0-9_]+)\.(?<name>[a-z0-9_]+)(?<index>\[[^\]]*\])?\.")]
    private static partial Regex ResourceReference();

    [GeneratedRegex(@"terraform_data\.(?<resource>[a-z0-9_]+)(?:\[[^\]]*\])?\.input\.(?<attribute>[a-z0-9_]+)")]
    private static partial Regex InputReference();
}
