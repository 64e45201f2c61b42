using System.Globalization;
using Microsoft.Extensions.Configuration;
using WineFunctions.Hosting;

namespace WineFunctions.Lake;

/// <summary>
/// Reads the <c>Lake</c> configuration section into <see cref="LakeSettings"/> without reflection, for
/// NativeAOT: the configuration binder's source generator skips init-only properties and would
/// silently bind nothing.
/// </summary>
public static class LakeConfiguration
{
    public const string Section = "Lake";

    /// <exception cref="FormatException">A value cannot be read; the message names the setting.</exception>
    public static LakeSettings Read(IConfiguration configuration)
    {
        var lake = configuration.GetSection(Section);
        var defaults = new LakeSettings();
        var s3 = lake.GetSection("S3");
        return new LakeSettings
        {
            Kind = ConfigurationValues.Enum(lake, "Kind", defaults.Kind),
            Folder = lake["Folder"] ?? defaults.Folder,
            S3 = s3.GetChildren().Any() ? ReadS3(s3) : null,
            BlobConnectionString = lake["BlobConnectionString"],
            BlobContainerUrl = lake["BlobContainerUrl"],
            BlobContainer = lake["BlobContainer"] ?? defaults.BlobContainer,
            BlobAuditContainer = lake["BlobAuditContainer"],
            Zone = lake["Zone"],
        };
    }

    private static S3LakeSettings ReadS3(IConfigurationSection s3)
    {
        var defaults = new S3LakeSettings();
        return new S3LakeSettings
        {
            Bucket = s3["Bucket"] ?? defaults.Bucket,
            ServiceUrl = s3["ServiceUrl"],
            Region = s3["Region"] ?? defaults.Region,
            ForcePathStyle = Flag(s3, "ForcePathStyle", defaults.ForcePathStyle),
            AccessKey = s3["AccessKey"],
            SecretKey = s3["SecretKey"],
            WebIdentityRoleArn = s3["WebIdentityRoleArn"],
            WebIdentityAudience = s3["WebIdentityAudience"] ?? defaults.WebIdentityAudience,
        };
    }

    private static bool Flag(IConfigurationSection section, string key, bool fallback) => section[key] switch
    {
        null => fallback,
        var text when bool.TryParse(text, out var flag) => flag,
        var text => throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"{section.Path}:{key} is '{text}', not true or false")),
    };
}
