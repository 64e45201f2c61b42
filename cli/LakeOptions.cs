using System.CommandLine;
using WineFunctions.Lake;

namespace WineFunctions.Cli;

/// <summary>
/// Which lake a command reads, as the options of <see cref="LakeSettings"/>: a folder by default
/// (<c>.wine/lake</c>, where <c>wine up</c> writes), S3 when a bucket is given, Blob when a
/// connection string or container URL is given.
/// </summary>
internal sealed class LakeOptions
{
    public Option<DirectoryInfo> Folder { get; } = new("--lake") { Description = "Folder lake.", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine(".wine", "lake")) };
    public Option<string?> S3Bucket { get; } = new("--s3-bucket") { Description = "S3 lake: the bucket." };
    public Option<string?> S3ServiceUrl { get; } = new("--s3-service-url") { Description = "S3-compatible endpoint (MinIO, s3rver); implies path-style addressing." };
    public Option<string> S3Region { get; } = new("--s3-region") { Description = "S3 region.", DefaultValueFactory = _ => "eu-west-1" };
    public Option<string?> S3AccessKey { get; } = new("--s3-access-key") { Description = "S3 access key (default: the AWS credential chain)." };
    public Option<string?> S3SecretKey { get; } = new("--s3-secret-key") { Description = "S3 secret key (or AWS_SECRET_ACCESS_KEY through the credential chain)." };
    public Option<string?> BlobConnectionString { get; } = new("--blob-connection-string") { Description = "Blob lake: connection string (development)." };
    public Option<string?> BlobContainerUrl { get; } = new("--blob-container-url") { Description = "Blob lake: container URL, reached with your Azure login." };
    public Option<string> BlobContainer { get; } = new("--blob-container") { Description = "Blob lake: container, with --blob-connection-string.", DefaultValueFactory = _ => "lake" };
    public Option<DirectoryInfo> Cache { get; } = new("--cache") { Description = "Local copy of the S3 or Blob objects read, refreshed by key, size and time.", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine(".wine", "cache")) };

    public IEnumerable<Option> All => [Folder, S3Bucket, S3ServiceUrl, S3Region, S3AccessKey, S3SecretKey, BlobConnectionString, BlobContainerUrl, BlobContainer, Cache];

    /// <param name="cache">Whether the command reads through the local cache (explore, report, dataset) or talks to the store directly.</param>
    public void AddTo(Command command, bool cache = true)
    {
        foreach (var option in All.Where(o => cache || o != Cache))
        {
            command.Options.Add(option);
        }
    }

    /// <param name="mustExist">False for commands that may start a folder lake (an upload).</param>
    public LakeSettings Settings(ParseResult parse, bool mustExist = true)
    {
        var bucket = parse.GetValue(S3Bucket);
        var blobConnection = parse.GetValue(BlobConnectionString);
        var blobUrl = parse.GetValue(BlobContainerUrl);
        if (bucket is not null && (blobConnection is not null || blobUrl is not null))
        {
            throw new CliUsageException("give an S3 bucket or a Blob container, not both");
        }
        var settings = new LakeSettings
        {
            Kind = bucket is not null ? LakeKind.S3 : blobConnection is not null || blobUrl is not null ? LakeKind.Blob : LakeKind.Folder,
            Folder = parse.GetValue(Folder)!.FullName,
            S3 = bucket is null ? null : new S3LakeSettings
            {
                Bucket = bucket,
                ServiceUrl = parse.GetValue(S3ServiceUrl),
                ForcePathStyle = parse.GetValue(S3ServiceUrl) is not null,
                Region = parse.GetValue(S3Region)!,
                AccessKey = parse.GetValue(S3AccessKey),
                SecretKey = parse.GetValue(S3SecretKey),
            },
            BlobConnectionString = blobConnection,
            BlobContainerUrl = blobUrl,
            BlobContainer = parse.GetValue(BlobContainer)!,
        };
        if (mustExist && settings.Kind == LakeKind.Folder && !Directory.Exists(settings.Folder))
        {
            throw new CliUsageException($"--lake {settings.Folder}: no such folder (run `wine up` first, or name the lake)");
        }
        return settings;
    }

    public string CacheFolder(ParseResult parse) => parse.GetValue(Cache)!.FullName;
}

/// <summary>A mistake in how a command was called: shown as one line.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
