using System.Text;
using WineFunctions.Lake;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Lake;

/// <summary>One suite, three real stores: the same behaviour on a folder, on S3 (s3rver) and on Azure Blob (azurite).</summary>
public abstract class ObjectStoreContractTests
{
    protected abstract Task<LakeStore> StartAsync();

    private static readonly CancellationToken None = CancellationToken.None;

    private static Dictionary<string, string> Meta(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public async Task Objects_round_trip_with_their_metadata_and_a_put_replaces()
    {
        await using var lake = await StartAsync();
        var store = lake.Store;
        await store.PutAsync("raw/samples/date=2026-11-26/hour=18/a.parquet", "first"u8.ToArray(), Meta(("sample_count", "12"), ("first_offset", "412")), None);
        var stored = await store.GetAsync("raw/samples/date=2026-11-26/hour=18/a.parquet", None);
        Assert.Equal("first", Encoding.UTF8.GetString(stored!.Content));
        Assert.Equal("12", stored.Metadata["sample_count"]);
        Assert.Equal("412", stored.Metadata["first_offset"]);

        await store.PutAsync("raw/samples/date=2026-11-26/hour=18/a.parquet", "second"u8.ToArray(), Meta(("sample_count", "3")), None);
        stored = await store.GetAsync("raw/samples/date=2026-11-26/hour=18/a.parquet", None);
        Assert.Equal("second", Encoding.UTF8.GetString(stored!.Content));
        Assert.Equal("3", stored.Metadata["sample_count"]);
        Assert.False(stored.Metadata.ContainsKey("first_offset"));
    }

    [Fact]
    public async Task A_12_MB_object_comes_back_byte_for_byte()
    {
        await using var lake = await StartAsync();
        var content = new byte[12 * 1024 * 1024];
        new Random(12).NextBytes(content);
        await lake.Store.PutAsync("training/big.bin", content, Meta(), None);
        var stored = await lake.Store.GetAsync("training/big.bin", None);
        Assert.Equal(content.Length, stored!.Content.Length);
        Assert.True(content.AsSpan().SequenceEqual(stored.Content), "the bytes differ");
    }

    [Fact]
    public async Task Listing_by_prefix_returns_just_the_objects_under_it_in_key_order()
    {
        await using var lake = await StartAsync();
        var keys = new[]
        {
            "raw/samples/date=2026-11-26/hour=19/b.parquet", "raw/samples/date=2026-11-26/hour=18/a.parquet",
            "raw/samples/date=2026-11-27/hour=00/c.parquet", "predictions/date=2026-11-26/p.parquet", "raw/samplesX/other",
        };
        foreach (var key in keys)
        {
            await lake.Store.PutAsync(key, Encoding.UTF8.GetBytes(key), Meta(), None);
        }
        var listed = await lake.Store.ListAsync("raw/samples/date=2026-11-26/", None).ToListAsync();
        Assert.Equal(["raw/samples/date=2026-11-26/hour=18/a.parquet", "raw/samples/date=2026-11-26/hour=19/b.parquet"], listed.Select(e => e.Key));
        Assert.All(listed, e => Assert.Equal(e.Key.Length, e.Size));
        Assert.Equal(3, (await lake.Store.ListAsync("raw/samples/", None).ToListAsync()).Count);
        Assert.Empty(await lake.Store.ListAsync("models/", None).ToListAsync());
    }

    [Fact]
    public async Task Create_writes_only_when_the_key_is_free()
    {
        await using var lake = await StartAsync();
        Assert.True(await lake.Store.CreateAsync("models/v0001/model.zip", "one"u8.ToArray(), Meta(("version", "1")), None));
        Assert.False(await lake.Store.CreateAsync("models/v0001/model.zip", "two"u8.ToArray(), Meta(("version", "2")), None));
        var stored = await lake.Store.GetAsync("models/v0001/model.zip", None);
        Assert.Equal("one", Encoding.UTF8.GetString(stored!.Content));
        Assert.Equal("1", stored.Metadata["version"]);
    }

    [Fact]
    public async Task Missing_objects_read_as_null_and_delete_removes()
    {
        await using var lake = await StartAsync();
        Assert.Null(await lake.Store.GetAsync("ratings/none.json", None));
        await lake.Store.PutAsync("ratings/one.json", "{}"u8.ToArray(), Meta(), None);
        await lake.Store.DeleteAsync("ratings/one.json", None);
        Assert.Null(await lake.Store.GetAsync("ratings/one.json", None));
        Assert.Empty(await lake.Store.ListAsync("ratings/", None).ToListAsync());
    }

    [Fact]
    public async Task Bad_keys_and_metadata_names_are_refused_before_anything_is_written()
    {
        await using var lake = await StartAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => lake.Store.PutAsync("../escape", "x"u8.ToArray(), Meta(), None));
        await Assert.ThrowsAsync<ArgumentException>(() => lake.Store.PutAsync("raw//double", "x"u8.ToArray(), Meta(), None));
        await Assert.ThrowsAsync<ArgumentException>(() => lake.Store.PutAsync("raw/ok", "x"u8.ToArray(), Meta(("Sample-Count", "1")), None));
        Assert.Empty(await lake.Store.ListAsync("", None).ToListAsync());
    }
}

public sealed class FolderStoreTests : ObjectStoreContractTests
{
    protected override Task<LakeStore> StartAsync() => LakeStore.FolderAsync();
}

public sealed class S3StoreTests : ObjectStoreContractTests
{
    protected override Task<LakeStore> StartAsync() => LakeStore.S3rverAsync();
}

public sealed class BlobStoreTests : ObjectStoreContractTests
{
    protected override Task<LakeStore> StartAsync() => LakeStore.AzuriteAsync();
}
