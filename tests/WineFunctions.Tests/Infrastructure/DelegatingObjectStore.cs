using WineFunctions.Lake;

namespace WineFunctions.Tests.Infrastructure;

/// <summary>A real store, passed through; a test overrides the one operation it interferes with (a writer at the same time, a refused write).</summary>
internal abstract class DelegatingObjectStore(IObjectStore inner) : IObjectStore
{
    protected IObjectStore Inner => inner;

    public string Location => inner.Location;

    public virtual Task PutAsync(string key, ReadOnlyMemory<byte> content, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken) =>
        inner.PutAsync(key, content, metadata, cancellationToken);

    public virtual Task<bool> CreateAsync(string key, ReadOnlyMemory<byte> content, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken) =>
        inner.CreateAsync(key, content, metadata, cancellationToken);

    public virtual Task<StoredObject?> GetAsync(string key, CancellationToken cancellationToken) => inner.GetAsync(key, cancellationToken);

    public virtual IAsyncEnumerable<ObjectEntry> ListAsync(string prefix, CancellationToken cancellationToken) => inner.ListAsync(prefix, cancellationToken);

    public virtual Task DeleteAsync(string key, CancellationToken cancellationToken) => inner.DeleteAsync(key, cancellationToken);
}
