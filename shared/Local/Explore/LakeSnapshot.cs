using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using WineFunctions.Lake;

namespace WineFunctions.Explore;

/// <summary>How far a snapshot has come: objects looked at of those listed, and how many had to be downloaded.</summary>
public sealed record SnapshotProgress(int Done, int Total, int Downloaded);

/// <summary>
/// The lake's objects under some prefixes as plain files that DuckDB can read. A folder lake is
/// read where it lies; an S3 or Blob lake is mirrored into a local cache folder, downloading only
/// the objects that are new or changed since the last time (same key, size and last-modified
/// time means the same object: lake objects are written whole and never appended to).
/// </summary>
public sealed class LakeSnapshot
{
    private const string IndexFile = ".index.json";

    private LakeSnapshot(string root, IReadOnlyList<ObjectEntry> objects, int downloaded)
    {
        Root = root;
        Objects = objects;
        Downloaded = downloaded;
    }

    /// <summary>The folder whose relative paths are the object keys.</summary>
    public string Root { get; }

    /// <summary>Every object under the snapshot's prefixes.</summary>
    public IReadOnlyList<ObjectEntry> Objects { get; }

    /// <summary>Objects fetched from the store this time (0 for a folder lake, and for an unchanged cached lake).</summary>
    public int Downloaded { get; }

    public string PathOf(string key) => Path.Combine(Root, key.Replace('/', Path.DirectorySeparatorChar));

    /// <param name="cacheFolder">Where S3 and Blob lakes are mirrored; each lake gets its own sub-folder.</param>
    public static async Task<LakeSnapshot> TakeAsync(IObjectStore store, IReadOnlyList<string> prefixes, string cacheFolder,
        IProgress<SnapshotProgress>? progress, CancellationToken cancellationToken)
    {
        var objects = new List<ObjectEntry>();
        foreach (var prefix in prefixes)
        {
            await foreach (var entry in store.ListAsync(prefix, cancellationToken))
            {
                objects.Add(entry);
            }
        }
        if (store is FolderObjectStore)
        {
            progress?.Report(new SnapshotProgress(objects.Count, objects.Count, 0));
            return new LakeSnapshot(store.Location, objects, 0);
        }

        var root = Path.Combine(Path.GetFullPath(cacheFolder), LakeFolderName(store.Location));
        Directory.CreateDirectory(root);
        var indexPath = Path.Combine(root, IndexFile);
        var index = File.Exists(indexPath)
            ? JsonSerializer.Deserialize(await File.ReadAllBytesAsync(indexPath, cancellationToken), ExploreJsonContext.Default.DictionaryStringCachedObject) ?? []
            : new Dictionary<string, CachedObject>();
        var listed = objects.Select(o => o.Key).ToHashSet(StringComparer.Ordinal);
        var downloaded = 0;
        try
        {
            // What the lake no longer holds goes from the cache too (only under the prefixes asked for), so views show the lake as it is.
            foreach (var gone in index.Keys.Where(k => !listed.Contains(k) && prefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal))).ToList())
            {
                File.Delete(Path.Combine(root, gone));
                index.Remove(gone);
            }
            for (var i = 0; i < objects.Count; i++)
            {
                var entry = objects[i];
                var path = Path.Combine(root, ObjectKeys.Check(entry.Key)); // never a path outside the cache
                var stamp = new CachedObject(entry.Size, entry.LastModified);
                if (!(index.TryGetValue(entry.Key, out var cached) && cached == stamp && File.Exists(path)))
                {
                    var stored = await store.GetAsync(entry.Key, cancellationToken);
                    if (stored is null)
                    {
                        index.Remove(entry.Key); // deleted since the listing
                        File.Delete(path);
                        continue;
                    }
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    var temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
                    await File.WriteAllBytesAsync(temporary, stored.Content, cancellationToken);
                    File.Move(temporary, path, overwrite: true);
                    index[entry.Key] = stamp;
                    downloaded++;
                }
                progress?.Report(new SnapshotProgress(i + 1, objects.Count, downloaded));
            }
        }
        finally
        {
            await File.WriteAllBytesAsync(indexPath, JsonSerializer.SerializeToUtf8Bytes(index, ExploreJsonContext.Default.DictionaryStringCachedObject), CancellationToken.None);
        }
        return new LakeSnapshot(root, objects.Where(o => index.ContainsKey(o.Key)).ToList(), downloaded);
    }

    /// <summary>A readable, collision-free folder name for a lake location such as <c>s3://wine-lake</c>.</summary>
    private static string LakeFolderName(string location)
    {
        var readable = new string(location.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray()).Trim('_');
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(location)))[..12];
        return $"{readable[..Math.Min(readable.Length, 60)]}-{hash}";
    }
}

/// <summary>What identifies a cached copy of an object.</summary>
public sealed record CachedObject(long Size, DateTimeOffset LastModified);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, CachedObject>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(DatasetManifest))]
internal sealed partial class ExploreJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
