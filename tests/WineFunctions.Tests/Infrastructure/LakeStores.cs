using Azure.Storage.Blobs;
using WineFunctions.Lake;

namespace WineFunctions.Tests.Infrastructure;

/// <summary>A lake store backed by a real server the test owns (or a temporary folder).</summary>
public sealed class LakeStore : IAsyncDisposable
{
    private readonly Func<ValueTask> _dispose;

    private LakeStore(IObjectStore store, Func<ValueTask> dispose)
    {
        Store = store;
        _dispose = dispose;
    }

    public IObjectStore Store { get; }

    public const string AzuriteKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public static Task<LakeStore> FolderAsync()
    {
        var folder = Directory.CreateTempSubdirectory("wine-lake-");
        return Task.FromResult(new LakeStore(new FolderObjectStore(folder.FullName), () =>
        {
            folder.Delete(recursive: true);
            return ValueTask.CompletedTask;
        }));
    }

    public static async Task<LakeStore> S3rverAsync()
    {
        var server = await NodeServer.StartS3rverAsync("wine-lake");
        var store = new S3ObjectStore(new S3LakeSettings
        {
            Bucket = "wine-lake",
            ServiceUrl = $"http://127.0.0.1:{server.Port}",
            ForcePathStyle = true,
            AccessKey = "S3RVER",
            SecretKey = "S3RVER",
        });
        return new LakeStore(store, async () =>
        {
            store.Dispose();
            await server.DisposeAsync();
        });
    }

    public static async Task<LakeStore> AzuriteAsync()
    {
        var server = await NodeServer.StartAzuriteAsync();
        var connection = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteKey};BlobEndpoint=http://127.0.0.1:{server.Port}/devstoreaccount1;";
        var container = new BlobContainerClient(connection, "wine-lake");
        await container.CreateIfNotExistsAsync();
        return new LakeStore(new BlobObjectStore(container), () => server.DisposeAsync());
    }

    public ValueTask DisposeAsync() => _dispose();
}
