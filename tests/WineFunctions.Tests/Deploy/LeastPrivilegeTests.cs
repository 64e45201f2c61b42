using System.Text.RegularExpressions;
using WineFunctions.Zones;

namespace WineFunctions.Tests.Deploy;

/// <summary>
/// Least privilege and audit in what Terraform plans (issue 16, item 4), read from the examples' plans:
/// secrets granted one by one, the Azure lake role narrowed to each function's prefixes, audit/
/// append-only, data-plane logs, no inbound access for apps without HTTP triggers, no publishing passwords.
/// </summary>
public sealed partial class LeastPrivilegeTests
{
    public static TheoryData<string> Examples => [.. TerraformPlan.Examples];

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Each_identity_reads_only_the_Key_Vault_secrets_its_settings_name(string example)
    {
        var plan = await TerraformPlan.OfAsync(example);
        var grants = plan.Find("azurerm_role_assignment").Where(r => (string?)r.Arguments["role_definition_name"] == "Key Vault Secrets User").ToList();
        Assert.NotEmpty(grants);
        foreach (var module in grants.GroupBy(g => g.Module))
        {
            var scopes = module.Select(g => (string)g.Arguments["scope"]!).ToList();
            Assert.All(scopes, s => Assert.Matches(@"/providers/Microsoft\.KeyVault/vaults/[^/]+/secrets/[A-Za-z0-9-]+\z", s));
            var referenced = plan.Resources.Where(r => r.Module == module.Key && r.Type is "azurerm_linux_function_app" or "azurerm_container_app")
                .SelectMany(r => SecretName().Matches(r.Arguments.ToJsonString()).Select(m => m.Groups[1].Value)).ToHashSet();
            Assert.Equal(referenced.Order(StringComparer.Ordinal), scopes.Select(s => s[(s.LastIndexOf('/') + 1)..]).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task The_Azure_lake_role_of_each_function_is_narrowed_to_its_declared_prefixes()
    {
        var plan = await TerraformPlan.OfAsync("azure-centred");
        var roles = plan.Find("azurerm_role_assignment").Where(r => r.Name == "lake").ToList();
        Assert.Equal(["ratings-api", "sink", "train-trigger"], roles.Select(r => r.Function).Order(StringComparer.Ordinal));
        foreach (var role in roles)
        {
            Assert.Equal("2.0", (string?)role.Arguments["condition_version"]);
            var rules = ((string)role.Arguments["condition"]!).Split("\nAND\n");
            Assert.Equal(3, rules.Length);
            string[] Prefixes(string rule) => [.. Prefix().Matches(rule).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal)];
            var grant = LakeGrant.Of(role.Function);
            Assert.Contains("blobs/read'} AND NOT SubOperationMatches{'Blob.List'}", rules[0]);
            Assert.Equal(grant.Read.Order(StringComparer.Ordinal), Prefixes(rules[0]));
            Assert.Contains("blobs/write'} OR ActionMatches{", rules[1]);
            Assert.Equal(grant.Write.Order(StringComparer.Ordinal), Prefixes(rules[1]));
            Assert.Contains("blobs/delete'}", rules[2]);
            Assert.Equal(grant.Delete.Order(StringComparer.Ordinal), Prefixes(rules[2]));
        }
    }

    [Fact]
    public async Task Audit_records_in_an_S3_lake_can_be_written_once_and_never_overwritten_or_deleted()
    {
        var plan = await TerraformPlan.OfAsync("split-aws-azure");
        var statements = plan.Find("data__aws_iam_policy_document", "aws_lake[0]").Single(p => p.Name == "lake").Arguments["statement"]!.AsArray();
        var delete = statements.Single(s => (string?)s!["sid"] == "AuditNeverDeleted")!;
        Assert.Equal(("Deny", "/audit/*"), ((string)delete["effect"]!, ((string)delete["resources"]![0]!)[^8..]));
        Assert.Equal(["s3:DeleteObject", "s3:DeleteObjectVersion"], delete["actions"]!.AsArray().Select(a => (string)a!));
        var overwrite = statements.Single(s => (string?)s!["sid"] == "AuditNeverOverwritten")!;
        Assert.Equal(("Deny", "s3:PutObject"), ((string)overwrite["effect"]!, (string)overwrite["actions"]![0]!));
        Assert.Equal(("Null", "s3:if-none-match", "true"), ((string)overwrite["condition"]![0]!["test"]!, (string)overwrite["condition"]![0]!["variable"]!,
            (string)overwrite["condition"]![0]!["values"]![0]!));
    }

    [Fact]
    public async Task Audit_records_in_an_Azure_lake_live_in_an_immutable_container_the_functions_may_only_add_to()
    {
        var plan = await TerraformPlan.OfAsync("azure-centred");
        var container = Assert.Single(plan.Find("azurerm_storage_container"), c => c.Name == "audit");
        var policy = Assert.Single(plan.Find("azurerm_storage_container_immutability_policy"));
        Assert.True(policy.Arguments["immutability_period_in_days"]!.GetValue<int>() >= 365);
        foreach (var app in plan.Find("azurerm_linux_function_app"))
        {
            Assert.Equal((string)container.Arguments["name"]!, (string?)app.Arguments["app_settings"]!["Lake__BlobAuditContainer"]);
            var role = Assert.Single(plan.Find("azurerm_role_assignment"), r => r.Module == app.Module && r.Name == "audit");
            var rules = ((string)role.Arguments["condition"]!).Split("\nAND\n");
            Assert.Equal([[], ["audit/"], []], rules.Select(r => Prefix().Matches(r).Select(m => m.Groups[1].Value).ToArray()));
        }
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task The_lake_the_Key_Vault_and_every_Function_App_log_their_data_plane(string example)
    {
        var plan = await TerraformPlan.OfAsync(example);
        var diagnostics = plan.Find("azurerm_monitor_diagnostic_setting").ToList();
        var logged = diagnostics.Select(d => (string)d.Arguments["target_resource_id"]!).ToList();
        Assert.Contains(logged, t => t.Contains("/providers/Microsoft.KeyVault/vaults/", StringComparison.Ordinal));
        Assert.Equal(plan.Find("azurerm_linux_function_app").Count(), diagnostics.Count(d => d.Name == "app"));
        if (plan.Find("aws_s3_bucket").Any(b => b.Name == "lake"))
        {
            Assert.Equal("lake/", (string?)Assert.Single(plan.Find("aws_s3_bucket_logging")).Arguments["target_prefix"]);
        }
        else
        {
            var blob = Assert.Single(diagnostics, d => ((string)d.Arguments["target_resource_id"]!).EndsWith("/blobServices/default", StringComparison.Ordinal));
            Assert.Equal(["StorageDelete", "StorageRead", "StorageWrite"], blob.Arguments["enabled_log"]!.AsArray().Select(l => (string)l!["category"]!).Order(StringComparer.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Only_the_ratings_API_takes_requests_from_the_internet_and_no_app_publishes_with_a_password(string example)
    {
        var plan = await TerraformPlan.OfAsync(example);
        var apps = plan.Find("azurerm_linux_function_app").ToList();
        Assert.NotEmpty(apps);
        foreach (var app in apps)
        {
            Assert.Equal(app.Function == "ratings-api", app.Arguments["public_network_access_enabled"]!.GetValue<bool>());
            Assert.False(app.Arguments["ftp_publish_basic_authentication_enabled"]!.GetValue<bool>());
            Assert.False(app.Arguments["webdeploy_publish_basic_authentication_enabled"]!.GetValue<bool>());
            // Deployed without publishing credentials: the app runs from its package blob, read with its identity.
            Assert.Null(app.Arguments["zip_deploy_file"]);
            Assert.StartsWith("https://", (string)app.Arguments["app_settings"]!["WEBSITE_RUN_FROM_PACKAGE"]!);
            Assert.NotNull(app.Arguments["app_settings"]!["WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID"]);
        }
    }

    [Fact]
    public async Task Azure_functions_reach_the_S3_lake_by_roles_only_their_own_managed_identity_can_assume()
    {
        var plan = await TerraformPlan.OfAsync("split-aws-azure");
        Assert.Empty(plan.Find("aws_iam_user"));
        var provider = Assert.Single(plan.Find("aws_iam_openid_connect_provider"));
        Assert.Equal(["api://AzureADTokenExchange"], provider.Arguments["client_id_list"]!.AsArray().Select(c => (string)c!));
        Assert.StartsWith("https://sts.windows.net/", (string)provider.Arguments["url"]!);
        var trusts = plan.Find("data__aws_iam_policy_document", "]").Where(p => p.Name == "trust").ToList();
        Assert.Equal(3, trusts.Count);
        foreach (var trust in trusts)
        {
            var statement = Assert.Single(trust.Arguments["statement"]!.AsArray())!;
            Assert.Equal("sts:AssumeRoleWithWebIdentity", (string)statement["actions"]![0]!);
            Assert.Equal("Federated", (string)statement["principals"]![0]!["type"]!);
            var conditions = statement["condition"]!.AsArray().ToDictionary(c => ((string)c!["variable"]!).Split(':')[^1], c => (string)c!["values"]![0]!);
            Assert.Equal("api://AzureADTokenExchange", conditions["aud"]);
            Assert.Matches("^[0-9a-f-]{36}$", conditions["sub"]); // the function's own identity
        }
        foreach (var app in plan.Find("azurerm_linux_function_app"))
        {
            var settings = app.Arguments["app_settings"]!.AsObject();
            Assert.StartsWith("arn:aws:iam::", (string)settings["Lake__S3__WebIdentityRoleArn"]!);
            Assert.False(settings.ContainsKey("Lake__S3__AccessKey") || settings.ContainsKey("Lake__S3__SecretKey"));
        }
    }

    [GeneratedRegex(@"vault\.azure\.net/secrets/([A-Za-z0-9-]+)")]
    private static partial Regex SecretName();

    [GeneratedRegex(@"StringStartsWith '([^']+)'")]
    private static partial Regex Prefix();
}
