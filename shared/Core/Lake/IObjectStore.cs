namespace WineFunctions.Lake;

/// <summary>An object and its user metadata.</summary>
public sealed record StoredObject(string Key, byte[] Content, IReadOnlyDictionary<string, string> Metadata);

/// <summary>An entry of a listing.</summary>
public sealed record ObjectEntry(string Key, long Size, DateTimeOffset LastModified);

/// <summary>
/// The data lake's storage: S3, Azure Blob or a local folder, with the same behaviour. Keys are
/// '/'-separated paths; metadata keys are lower-case identifiers (<see cref="ObjectMetadata"/>).
/// </summary>
public interface IObjectStore
{
    /// <summary>Where the objects live, for logs and messages: <c>s3://bucket</c>, a folder, a container URL.</summary>
    string Location { get; }

    /// <summary>Writes the object whole, replacing any object under the key; readers never see part of it.</summary>
    Task PutAsync(string key, ReadOnlyMemory<byte> content, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken);

    /// <summary>Writes the object only if the key is free; false when it already exists.</summary>
    Task<bool> CreateAsync(string key, ReadOnlyMemory<byte> content, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken);

    /// <summary>The object, or null when there is none under the key.</summary>
    Task<StoredObject?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Every object whose key starts with <paramref name="prefix"/>, in key order.</summary>
    IAsyncEnumerable<ObjectEntry> ListAsync(string prefix, CancellationToken cancellationToken);

    Task DeleteAsync(string key, CancellationToken cancellationToken);
}
