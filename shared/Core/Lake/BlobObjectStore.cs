using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace WineFunctions.Lake;

/// <summary>The lake in an Azure Blob Storage container (Azure.Storage.Blobs); conditional create uses <c>If-None-Match: *</c>.</summary>
/// <param name="audit">
/// Where records under <c>audit/</c> go instead: a container of their own whose time-based
/// immutability policy keeps every record unchanged and undeleted (a policy on the lake container
/// would freeze all of it); null keeps them in the lake container.
/// </param>
public sealed class BlobObjectStore(BlobContainerClient container, BlobContainerClient? audit = null) : IObjectStore
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

    public IAsyncEnumerable<ObjectEntry> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        if (audit is null || !(prefix.StartsWith(LakeLayout.Audit, StringComparison.Ordinal) || LakeLayout.Audit.StartsWith(prefix, StringComparison.Ordinal)))
        {
            return ListAsync(container, prefix, cancellationToken);
        }
        if (prefix.StartsWith(LakeLayout.Audit, StringComparison.Ordinal))
        {
            return ListAsync(audit, prefix, cancellationToken);
        }
        // A prefix that takes in audit/ and more: both containers, still in key order.
        return Merge(ListAsync(container, prefix, cancellationToken).Where(e => !e.Key.StartsWith(LakeLayout.Audit, StringComparison.Ordinal)),
            ListAsync(audit, LakeLayout.Audit, cancellationToken), cancellationToken);
    }

    private async IAsyncEnumerable<ObjectEntry> ListAsync(BlobContainerClient from, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var blob in from.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken))
        {
            if (!_foreign.Keep(blob.Name))
            {
                continue;
            }
            yield return new ObjectEntry(blob.Name, blob.Properties.ContentLength ?? 0, blob.Properties.LastModified ?? DateTimeOffset.MinValue);
        }
    }

    private static async IAsyncEnumerable<ObjectEntry> Merge(IAsyncEnumerable<ObjectEntry> first, IAsyncEnumerable<ObjectEntry> second,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var a = first.GetAsyncEnumerator(cancellationToken);
        await using var b = second.GetAsyncEnumerator(cancellationToken);
        var (hasA, hasB) = (await a.MoveNextAsync(), await b.MoveNextAsync());
        while (hasA || hasB)
        {
            if (hasA && (!hasB || string.CompareOrdinal(a.Current.Key, b.Current.Key) < 0))
            {
                yield return a.Current;
                hasA = await a.MoveNextAsync();
            }
            else
            {
                yield return b.Current;
                hasB = await b.MoveNextAsync();
            }
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        await Blob(key).DeleteIfExistsAsync(cancellationToken: cancellationToken);

    private BlobClient Blob(string key) =>
        (audit is not null && key.StartsWith(LakeLayout.Audit, StringComparison.Ordinal) ? audit : container).GetBlobClient(ObjectKeys.Check(key));
}
