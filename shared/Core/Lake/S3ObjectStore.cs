using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace WineFunctions.Lake;

/// <summary>Settings for an S3 or S3-compatible lake.</summary>
public sealed record S3LakeSettings
{
    /// <summary>Not <c>required</c>: the configuration binder's source generator (NativeAOT) cannot set required members; <see cref="LakeSettings.Problems"/> checks it.</summary>
    public string Bucket { get; init; } = "";

    /// <summary>For S3-compatible stores (s3rver, MinIO); null for AWS itself.</summary>
    public string? ServiceUrl { get; init; }

    public string Region { get; init; } = "eu-west-1";
    public bool ForcePathStyle { get; init; }

    /// <summary>Null uses <see cref="WebIdentityRoleArn"/> when set, else the default AWS credential chain (the Lambda's role, say).</summary>
    public string? AccessKey { get; init; }
    public string? SecretKey { get; init; }

    /// <summary>
    /// An Azure function's way into an S3 lake with no stored key: the IAM role it assumes with its
    /// managed identity's token (web identity federation).
    /// </summary>
    public string? WebIdentityRoleArn { get; init; }

    /// <summary>The audience of the Entra ID token shown to AWS STS; the role's trust policy and the IAM OIDC provider name it.</summary>
    public string WebIdentityAudience { get; init; } = "api://AzureADTokenExchange";
}

/// <summary>
/// The lake on S3 or any S3-compatible endpoint (AWSSDK.S3). Uploads are sent whole and
/// unchunked (s3rver corrupts chunked uploads), and conditional create uses <c>If-None-Match: *</c>
/// (atomic on AWS S3; on stores that ignore it, a look before the write stands in).
/// </summary>
public sealed class S3ObjectStore : IObjectStore, IDisposable
{
    private readonly IAmazonS3 _s3;
    private readonly string _bucket;
    private readonly ForeignKeys _foreign = new("s3");

    /// <summary>Listed keys the lake would never write, skipped so far.</summary>
    public long SkippedKeys => _foreign.Count;

    public S3ObjectStore(S3LakeSettings settings)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = settings.ForcePathStyle,
            AuthenticationRegion = settings.Region,
            // Checksums only where S3 requires them: S3-compatible servers reject the newer trailers.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (settings.ServiceUrl is { } url)
        {
            config.ServiceURL = url;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(settings.Region);
        }
        AWSCredentials? credentials = settings switch
        {
            { AccessKey: { } key } => new BasicAWSCredentials(key, settings.SecretKey),
            { WebIdentityRoleArn: { } role } => new AzureWebIdentityCredentials(role, settings.WebIdentityAudience, settings.Region),
            _ => null,
        };
        _s3 = credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
        _bucket = settings.Bucket;
        Location = $"s3://{settings.Bucket}";
    }

    public string Location { get; }

    public async Task PutAsync(string key, ReadOnlyMemory<byte> content, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken) =>
        await _s3.PutObjectAsync(Request(key, content, metadata), cancellationToken);

    public async Task<bool> CreateAsync(string key, ReadOnlyMemory<byte> content, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        // If-None-Match makes the create atomic on S3; the look first serves S3-compatible stores
        // that ignore it (s3rver), where create is then correct for one writer at a time.
        if (await ExistsAsync(key, cancellationToken))
        {
            return false;
        }
        var request = Request(key, content, metadata);
        request.IfNoneMatch = "*";
        try
        {
            await _s3.PutObjectAsync(request, cancellationToken);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    public async Task<StoredObject?> GetAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _s3.GetObjectAsync(_bucket, ObjectKeys.Check(key), cancellationToken);
            using var content = new MemoryStream();
            await response.ResponseStream.CopyToAsync(content, cancellationToken);
            var metadata = response.Metadata.Keys.ToDictionary(k => k.Replace("x-amz-meta-", "", StringComparison.OrdinalIgnoreCase), k => response.Metadata[k]);
            return new StoredObject(key, content.ToArray(), metadata);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await _s3.GetObjectMetadataAsync(_bucket, ObjectKeys.Check(key), cancellationToken);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async IAsyncEnumerable<ObjectEntry> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = prefix };
        do
        {
            var page = await _s3.ListObjectsV2Async(request, cancellationToken);
            foreach (var entry in (page.S3Objects ?? []).Where(e => _foreign.Keep(e.Key)))
            {
                yield return new ObjectEntry(entry.Key, entry.Size ?? 0, entry.LastModified ?? DateTime.MinValue);
            }
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (request.ContinuationToken is not null);
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        await _s3.DeleteObjectAsync(_bucket, ObjectKeys.Check(key), cancellationToken);

    private PutObjectRequest Request(string key, ReadOnlyMemory<byte> content, IReadOnlyDictionary<string, string> metadata)
    {
        ObjectMetadata.Check(metadata);
        var request = new PutObjectRequest
        {
            BucketName = _bucket,
            Key = ObjectKeys.Check(key),
            InputStream = new MemoryStream(content.ToArray(), writable: false),
            UseChunkEncoding = false,
            AutoCloseStream = true,
        };
        foreach (var (name, value) in metadata)
        {
            request.Metadata[name] = value;
        }
        return request;
    }

    public void Dispose() => _s3.Dispose();
}
