using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WineFunctions.Lake;

namespace WineFunctions.Zones;

/// <summary>What the functions of a run did with their lake grants: each grant used, and each operation refused.</summary>
public sealed class LakeGrantUsage
{
    private readonly ConcurrentDictionary<(string Function, LakeOperation Operation, string Prefix), long> _used = new();
    private readonly ConcurrentQueue<string> _denied = new();

    public IReadOnlyCollection<string> Denied => _denied;

    public void Used(string function, LakeOperation operation, string prefix) => _used.AddOrUpdate((function, operation, prefix), 1, (_, n) => n + 1);

    public void Deny(string denial) => _denied.Enqueue(denial);

    /// <summary>Grants of <paramref name="functions"/> that nothing used (a listing counts as reading).</summary>
    public IEnumerable<(string Function, LakeOperation Operation, string Prefix)> Unused(IEnumerable<string> functions) =>
        from function in functions
        from grant in LakeGrant.Of(function).Grants
        where !_used.Keys.Any(u => u.Function == function && u.Prefix == grant.Prefix &&
            (u.Operation == grant.Operation || (grant.Operation == LakeOperation.Read && u.Operation == LakeOperation.List)))
        select (function, grant.Operation, grant.Prefix);
}

/// <summary>
/// The lake as a function's cloud grant lets it see it: an operation outside its <see cref="LakeGrant"/>
/// fails as the cloud's 403 would, so the local stack shows what a deployment would refuse.
/// </summary>
public sealed class GrantedObjectStore(IObjectStore inner, LakeGrant grant, LakeGrantUsage usage, ILogger? logger = null) : IObjectStore
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    public string Location => inner.Location;

    public Task PutAsync(string key, ReadOnlyMemory<byte> content, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        Check(LakeOperation.Write, key);
        return inner.PutAsync(key, content, metadata, cancellationToken);
    }

    public Task<bool> CreateAsync(string key, ReadOnlyMemory<byte> content, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        Check(LakeOperation.Write, key);
        return inner.CreateAsync(key, content, metadata, cancellationToken);
    }

    public Task<StoredObject?> GetAsync(string key, CancellationToken cancellationToken)
    {
        Check(LakeOperation.Read, key);
        return inner.GetAsync(key, cancellationToken);
    }

    public async IAsyncEnumerable<ObjectEntry> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Check(LakeOperation.List, prefix);
        await foreach (var entry in inner.ListAsync(prefix, cancellationToken))
        {
            yield return entry;
        }
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        Check(LakeOperation.Delete, key);
        return inner.DeleteAsync(key, cancellationToken);
    }

    private void Check(LakeOperation operation, string key)
    {
        if (grant.PrefixFor(operation, key) is { } prefix)
        {
            usage.Used(grant.Function, operation, prefix);
            return;
        }
        var denial = $"{grant.Function} may not {operation.ToString().ToLowerInvariant()} '{key}': its lake grant (LakeGrant) does not cover it";
        usage.Deny(denial);
        _logger.LogError("Lake access denied: {Denial}", denial);
        throw new UnauthorizedAccessException(denial);
    }
}
