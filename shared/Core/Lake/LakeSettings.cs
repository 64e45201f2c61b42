using Azure.Identity;
using Azure.Storage.Blobs;
using WineFunctions.Hosting;

namespace WineFunctions.Lake;

public enum LakeKind
{
    Folder,
    S3,
    Blob,
}

/// <summary>Which store holds the lake (configuration section <c>Lake</c>), so every function and command opens it the same way.</summary>
public sealed record LakeSettings
{
    public LakeKind Kind { get; init; } = LakeKind.Folder;

    /// <summary>Folder: the lake's root folder.</summary>
    public string Folder { get; init; } = Path.Combine(".wine", "lake");

    /// <summary>S3: bucket, and for S3-compatible stores the endpoint and path style; credentials from the default chain unless given.</summary>
    public S3LakeSettings? S3 { get; init; }

    /// <summary>Blob: a connection string (development), or a container URL reached with the managed identity.</summary>
    public string? BlobConnectionString { get; init; }
    public string? BlobContainerUrl { get; init; }
    public string BlobContainer { get; init; } = "lake";

    /// <summary>Blob: the container <c>audit/</c> records go to, one with an immutability policy; null keeps them in the lake container.</summary>
    public string? BlobAuditContainer { get; init; }

    /// <summary>The lake's home trust zone (<c>Lake:Zone</c>); null: the zone of the function reading it (shared/Core/Zones).</summary>
    public string? Zone { get; init; }

    public IReadOnlyList<string> Problems() => Kind switch
    {
        LakeKind.S3 when string.IsNullOrWhiteSpace(S3?.Bucket) => ["Lake:S3:Bucket is required when Lake:Kind is S3"],
        LakeKind.S3 when S3!.WebIdentityRoleArn is { } role && !role.StartsWith("arn:aws:iam::", StringComparison.Ordinal) =>
            [$"Lake:S3:WebIdentityRoleArn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), not '{role}'"],
        LakeKind.S3 when S3!.WebIdentityRoleArn is not null && S3.AccessKey is not null =>
            ["Lake:S3:AccessKey and Lake:S3:WebIdentityRoleArn are two ways in: give one"],
        LakeKind.S3 when S3!.ServiceUrl is { } url && ConfigurationValues.HttpUrl(url) is null => [$"Lake:S3:ServiceUrl must be an absolute http(s) URL, not '{url}'"],
        LakeKind.Blob when BlobConnectionString is null && BlobContainerUrl is null =>
            ["Lake:BlobConnectionString or Lake:BlobContainerUrl is required when Lake:Kind is Blob"],
        // Reached with the managed identity, whose tokens Azure sends only over https.
        LakeKind.Blob when BlobContainerUrl is { } url && ConfigurationValues.HttpUrl(url)?.Scheme != "https" =>
            [$"Lake:BlobContainerUrl must be an absolute https URL, not '{url}'"],
        LakeKind.Blob when BlobContainerUrl is null && ConnectionStringProblem() is { } problem => [$"Lake:BlobConnectionString is not a storage connection string: {problem}"],
        LakeKind.Folder when string.IsNullOrWhiteSpace(Folder) => ["Lake:Folder is required when Lake:Kind is Folder"],
        _ => [],
    };

    /// <summary>The SDK's own parse (no request is made), so a bad string stops the host at start, not at the first write.</summary>
    private string? ConnectionStringProblem()
    {
        try
        {
            _ = new BlobContainerClient(BlobConnectionString, BlobContainer);
            return null;
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException)
        {
            return exception.Message;
        }
    }

    public IObjectStore Open()
    {
        if (Problems() is { Count: > 0 } problems)
        {
            throw new InvalidOperationException(string.Join("; ", problems));
        }
        return Kind switch
        {
            LakeKind.S3 => new S3ObjectStore(S3!),
            LakeKind.Blob => new BlobObjectStore(Container(BlobContainer), BlobAuditContainer is { } audit ? Container(audit) : null),
            _ => new FolderObjectStore(Folder),
        };
    }

    /// <summary>A container of the lake's account: beside the one <see cref="BlobContainerUrl"/> names, reached with the managed identity, or by the connection string.</summary>
    private BlobContainerClient Container(string name) => BlobContainerUrl is { } url
        ? new BlobContainerClient(name == BlobContainer ? new Uri(url) : new Uri(new Uri(url.TrimEnd('/')), name), new DefaultAzureCredential())
        : new BlobContainerClient(BlobConnectionString, name);
}
