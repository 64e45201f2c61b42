using System.Text.RegularExpressions;
using WineFunctions.Ingest;
using WineFunctions.Lake;
using WineFunctions.Zones;

namespace WineFunctions.Tests.Deploy;

/// <summary>The settings Terraform hands the functions are ones their code reads, and every function gets the artefact it is built as.</summary>
public sealed partial class TerraformSettingsChecks
{
    private static readonly Dictionary<string, Type> Sections = new()
    {
        ["Bridge"] = typeof(BridgeOptions),
        ["Lake"] = typeof(LakeSettings),
        ["Zone"] = typeof(ZoneSettings),
    };

    // "Lake__*" in a description names a family of settings, not one.
    [GeneratedRegex(@"\b((?:Bridge|Lake|Zone)__(?>[A-Za-z0-9_.]*))(?![*…])")]
    private static partial Regex Setting();

    [Fact]
    public void Every_bridge_lake_and_zone_setting_terraform_writes_binds_to_a_property_of_the_code()
    {
        var settings = Directory.EnumerateFiles(TerraformConfig.Folder, "*.tf", SearchOption.AllDirectories)
            .SelectMany(f => Setting().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToHashSet();
        Assert.True(settings.Count > 20, string.Join(", ", settings));
        Assert.Contains("Lake__Zone", settings);
        Assert.Contains("Zone__Name", settings);
        Assert.Empty(settings.Select(Problem).OfType<string>());
    }

    [Fact]
    public void The_check_itself_refuses_a_setting_the_code_does_not_read()
    {
        Assert.NotNull(Problem("Bridge__Mqtt__Hostname"));
        Assert.NotNull(Problem("Lake__S3__BucketName"));
        Assert.Null(Problem("Bridge__Kafka__Settings__sasl.password"));
        Assert.Null(Problem("Bridge__Mqtt__Topics__"));
    }

    [Fact]
    public void Every_function_is_deployed_from_its_package()
    {
        var tf = TerraformConfig.Instance;
        var resources = tf.Resources("resource").ToList();
        var lambdas = resources.Where(r => r.Type == "aws_lambda_function").ToList();
        var apps = resources.Where(r => r.Type == "azurerm_linux_function_app").ToList();
        Assert.NotEmpty(lambdas);
        Assert.NotEmpty(apps);
        Assert.All(lambdas, l => Assert.Equal(("${var.package_zip}", "${filebase64sha256(var.package_zip)}"), ((string?)l.Body["filename"], (string?)l.Body["source_code_hash"])));
        // Function Apps run from their package as a blob read with their identity: no publishing credentials needed.
        var packages = resources.Where(r => r.Type == "azurerm_storage_blob" && r.Module == apps[0].Module).ToList();
        Assert.Equal("${var.package_zip}", (string?)Assert.Single(packages).Body["source"]);
        Assert.All(apps, a => Assert.Null(a.Body["zip_deploy_file"]));
        Assert.All(apps, a => Assert.Equal(("10.0", true),
            ((string?)a.Body["site_config"]?[0]?["application_stack"]?[0]?["dotnet_version"], a.Body["site_config"]?[0]?["application_stack"]?[0]?["use_dotnet_isolated_runtime"]?.GetValue<bool>())));
        Assert.All(apps, a => Assert.Matches(@"WEBSITE_RUN_FROM_PACKAGE\s+=\s+azurerm_storage_blob\.package\.url", (string)a.Body["app_settings"]!));
    }

    /// <summary>Null when configuration binding would put the setting into a property; else why not.</summary>
    private static string? Problem(string setting)
    {
        var path = setting.Split("__");
        if (setting == "Lake__Zone")
        {
            return typeof(LakeSettings).GetProperty(nameof(LakeSettings.Zone)) is null ? "Lake:Zone is not read" : null;
        }
        return FunctionRehearsal.Binds(Sections[path[0]], setting, path[1..]);
    }
}
