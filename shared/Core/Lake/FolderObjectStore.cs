using System.Runtime.CompilerServices;
using System.Text.Json;

namespace WineFunctions.Lake;

/// <summary>
/// The lake in a local folder (the embedded default): each object is a plain file at its key, so
/// DuckDB and people can read it directly; its metadata is a JSON file under <c>.metadata/</c>.
/// Writes go to a hidden temporary file and are renamed into place: readers never see half an
/// object, and a create is an atomic rename that fails when the key exists.
/// </summary>
public sealed class FolderObjectStore(string root) : IObjectStore
{
    private const string MetadataFolder = ".metadata";
    private readonly string _root = Path.GetFullPath(root);
    private readonly ForeignKeys _foreign = new("folder");

    /// <summary>Listed keys the lake would never write, skipped so far.</summary>
    public long SkippedKeys => _foreign.Count;

    public string Location => _root;

    public Task PutAsync(string key, ReadOnlyMemory<byte> content, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken) =>
        WriteAsync(key, content, metadata, overwrite: true, cancellationToken);

    public Task<bool> CreateAsync(string key, ReadOnlyMemory<byte> content, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken) =>
        WriteAsync(key, content, metadata, overwrite: false, cancellationToken);

    public async Task<StoredObject?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var path = DataPath(key);
        try
        {
            var content = await File.ReadAllBytesAsync(path, cancellationToken);
            var metadata = File.Exists(MetadataPath(key))
                ? JsonSerializer.Deserialize(await File.ReadAllBytesAsync(MetadataPath(key), cancellationToken), LakeJsonContext.Default.DictionaryStringString)!
                : new Dictionary<string, string>();
            return new StoredObject(key, content, metadata);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public async IAsyncEnumerable<ObjectEntry> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Walk only the folder the prefix names, then filter on the rest of it.
        var slash = prefix.LastIndexOf('/');
        var folder = Path.Combine(_root, slash < 0 ? "" : prefix[..slash]);
        if (!Directory.Exists(folder))
        {
            yield break;
        }
        var keys = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(_root, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(key => key.StartsWith(prefix, StringComparison.Ordinal) && !key.Split('/').Any(s => s.StartsWith('.')) && _foreign.Keep(key))
            .Order(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var info = new FileInfo(DataPath(key));
            if (info.Exists)
            {
                yield return new ObjectEntry(key, info.Length, info.LastWriteTimeUtc);
            }
        }
        await Task.CompletedTask;
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        File.Delete(DataPath(key));
        File.Delete(MetadataPath(key));
        return Task.CompletedTask;
    }

    private async Task<bool> WriteAsync(string key, ReadOnlyMemory<byte> content, IReadOnlyDictionary<string, string> metadata, bool overwrite, CancellationToken cancellationToken)
    {
        ObjectMetadata.Check(metadata);
        var path = DataPath(key);
        if (!overwrite && File.Exists(path))
        {
            return false;
        }
        // Metadata first: an object that is visible always has its metadata.
        await WriteFileAsync(MetadataPath(key), JsonSerializer.SerializeToUtf8Bytes(metadata.ToDictionary(), LakeJsonContext.Default.DictionaryStringString), true, cancellationToken);
        return await WriteFileAsync(path, content, overwrite, cancellationToken);
    }

    private static async Task<bool> WriteFileAsync(string path, ReadOnlyMemory<byte> content, bool overwrite, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
        {
            await file.WriteAsync(content, cancellationToken);
            await file.FlushAsync(cancellationToken);
            file.Flush(flushToDisk: true);
        }
        try
        {
            File.Move(temporary, path, overwrite);
            return true;
        }
        catch (IOException) when (!overwrite && File.Exists(path))
        {
            File.Delete(temporary);
            return false;
        }
    }

    private string DataPath(string key) => Path.Combine(_root, ObjectKeys.Check(key));

    private string MetadataPath(string key) => Path.Combine(_root, MetadataFolder, ObjectKeys.Check(key) + ".json");
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class LakeJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
