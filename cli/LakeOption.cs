using System.CommandLine;
using WineFunctions.Lake;

namespace WineFunctions.Cli;

/// <summary>
/// The <c>--lake</c> option of the lake commands: a folder (default <c>.wine/lake</c>, where
/// <c>wine up</c> keeps it), <c>s3://bucket</c> (credentials from the AWS default chain;
/// <c>AWS_ENDPOINT_URL_S3</c> for S3-compatible stores, reached path-style), or an Azure Blob
/// container URL (<c>https://account.blob.core.windows.net/container</c>, reached with
/// <c>AZURE_STORAGE_CONNECTION_STRING</c> when set, else the signed-in identity).
/// </summary>
internal static class LakeOption
{
    public static Option<string> Create() => new("--lake")
    {
        Description = "The lake: a folder, s3://bucket or an Azure Blob container URL.",
        DefaultValueFactory = _ => Path.Combine(".wine", "lake"),
    };

    public static IObjectStore Open(string lake) => Settings(lake).Open();

    public static LakeSettings Settings(string lake)
    {
        if (lake.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            var endpoint = Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_S3");
            return new LakeSettings
            {
                Kind = LakeKind.S3,
                S3 = new S3LakeSettings
                {
                    Bucket = lake["s3://".Length..].TrimEnd('/'),
                    ServiceUrl = endpoint,
                    ForcePathStyle = endpoint is not null,
                    Region = Environment.GetEnvironmentVariable("AWS_REGION") ?? "eu-west-1",
                },
            };
        }
        if (Uri.TryCreate(lake, UriKind.Absolute, out var url) && url.Scheme is "https" or "http")
        {
            var connection = Environment.GetEnvironmentVariable("AZURE_STORAGE_CONNECTION_STRING");
            return connection is null
                ? new LakeSettings { Kind = LakeKind.Blob, BlobContainerUrl = lake }
                : new LakeSettings { Kind = LakeKind.Blob, BlobConnectionString = connection, BlobContainer = url.Segments[^1].TrimEnd('/') };
        }
        return new LakeSettings { Kind = LakeKind.Folder, Folder = lake };
    }
}
