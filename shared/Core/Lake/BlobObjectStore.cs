using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace WineFunctions.Lake;

/// <summary>The lake in an Azure Blob Storage container (Azure.Storage.Blobs); conditional create uses <c>If-None-Match: *</c>.</summary>
public sealed class BlobObjectStore(BlobContainerClient container) : IObjectStore
{
    private readonly ForeignKeys _foreign = new("blob");

    /// <summary>Listed keys the lake would never write, skipped so far.</summary>
    public long SkippedKeys => _foreign.Count;

    public string Location => container.Uri.ToString();

    public async Task PutAsync(string key, ReadOnlyMemory<byte> content, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        ObjectMetadata.Check(metadata);
        await Blob(key).UploadAsync(BinaryData.FromBytes(content), new BlobUploadOptions { Metadata = metadata.ToDictionary() }, cancellationToken);
    }

    public async Task<bool> CreateAsync(string key, ReadOnlyMemory<byte> content, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        ObjectMetadata.Check(metadata);
        try
        {
            await Blob(key).UploadAsync(BinaryData.FromBytes(content), new BlobUploadOptions
            {
                Metadata = metadata.ToDictionary(),
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    public async Task<StoredObject?> GetAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var result = await Blob(key).DownloadContentAsync(cancellationToken);
            return new StoredObject(key, result.Value.Content.ToArray(), result.Value.Details.Metadata.ToDictionary());
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async IAsyncEnumerable<ObjectEntry> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken))
        {
            if (!_foreign.Keep(blob.Name))
            {
                continue;
            }
            yield return new ObjectEntry(blob.Name, blob.Properties.ContentLength ?? 0, blob.Properties.LastModified ?? DateTimeOffset.MinValue);
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        await Blob(key).DeleteIfExistsAsync(cancellationToken: cancellationToken);

    private BlobClient Blob(string key) => container.GetBlobClient(ObjectKeys.Check(key));
}
