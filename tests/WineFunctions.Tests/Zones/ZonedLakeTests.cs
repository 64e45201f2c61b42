using System.Text;
using Microsoft.Extensions.Time.Testing;
using WineFunctions.Lake;
using WineFunctions.Tests.Infrastructure;
using WineFunctions.Zones;

namespace WineFunctions.Tests.Zones;

/// <summary>Zones over the three real stores: metadata on every object, a record for every crossing and for nothing else.</summary>
public abstract class ZonedLakeTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 18, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, string> NoMetadata = [];

    protected abstract Task<LakeStore> StartAsync();

    private static IObjectStore In(LakeStore lake, string zone, string lakeZone, string function, TimeProvider time) =>
        lake.Store.InZone(new ZoneSettings { Name = zone, Cloud = "test" }, lakeZone, function, time);

    private static async Task<List<ZoneCrossing>> CrossingsAsync(LakeStore lake) =>
        await ZoneAudit.CrossingsAsync(lake.Store, Start.AddDays(-1), Start.AddDays(2), None).ToListAsync();

    [Fact]
    public async Task Within_one_zone_objects_carry_zone_and_classification_and_nothing_is_audited()
    {
        await using var lake = await StartAsync();
        var time = new FakeTimeProvider(Start);
        var sink = In(lake, "core", "core", "sink", time);
        await sink.PutAsync("raw/samples/date=2026-11-26/hour=18/a.parquet", "x"u8.ToArray(), new Dictionary<string, string> { ["sample_count"] = "1" }, None);
        Assert.True(await sink.CreateAsync("ratings/customer/date=2026-11-26/r1.json", "{}"u8.ToArray(), NoMetadata, None));
        Assert.NotNull(await sink.GetAsync("raw/samples/date=2026-11-26/hour=18/a.parquet", None));

        var raw = (await lake.Store.GetAsync("raw/samples/date=2026-11-26/hour=18/a.parquet", None))!;
        Assert.Equal("core", raw.Metadata[ObjectMetadata.Zone]);
        Assert.Equal(DataClassification.Operational, raw.Metadata[ObjectMetadata.Classification]);
        Assert.Equal("1", raw.Metadata["sample_count"]);
        Assert.Equal(DataClassification.Personal, (await lake.Store.GetAsync("ratings/customer/date=2026-11-26/r1.json", None))!.Metadata[ObjectMetadata.Classification]);
        Assert.Empty(await lake.Store.ListAsync(LakeLayout.Audit, None).ToListAsync());
    }

    [Fact]
    public async Task A_write_into_a_lake_in_another_zone_and_a_read_of_another_zones_object_each_leave_one_record()
    {
        await using var lake = await StartAsync();
        var time = new FakeTimeProvider(Start);
        var sink = In(lake, "edge", "core", "sink", time);
        var predict = In(lake, "core", "core", "predict", time);
        const string key = "raw/samples/date=2026-11-26/hour=18/wine.samples+0+000000000000.parquet";

        await sink.PutAsync(key, "samples"u8.ToArray(), NoMetadata, None);
        await sink.CreateAsync("_state/sink/wine.samples+0+000000000000.json", "{}"u8.ToArray(), NoMetadata, None); // bookkeeping, not data
        Assert.False(await sink.CreateAsync(key, "again"u8.ToArray(), NoMetadata, None)); // nothing written, nothing crossed
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("samples", Encoding.UTF8.GetString((await predict.GetAsync(key, None))!.Content));
        await predict.PutAsync("predictions/date=2026-11-26/hour=18/wine.samples+0+000000000000.parquet", "p"u8.ToArray(), NoMetadata, None); // core into core
        Assert.NotNull(await sink.GetAsync(key, None)); // its own object, back in its own zone
        Assert.Null(await predict.GetAsync("raw/samples/none.parquet", None));

        var crossings = await CrossingsAsync(lake);
        Assert.Equal(
        [
            new ZoneCrossing(key, "edge", "core", DataClassification.Operational, "sink", CrossingDirection.Write, Start),
            new ZoneCrossing(key, "edge", "core", DataClassification.Operational, "predict", CrossingDirection.Read, Start.AddSeconds(5)),
        ], crossings);
        var records = await lake.Store.ListAsync(LakeLayout.Audit, None).ToListAsync();
        Assert.All(records, r => Assert.StartsWith("audit/date=2026-11-26/18000", r.Key));
    }

    [Fact]
    public async Task The_audit_lists_only_the_asked_time_range()
    {
        await using var lake = await StartAsync();
        var time = new FakeTimeProvider(Start.AddMinutes(-1));
        var ratings = In(lake, "azure", "aws", "ratings-api", time);
        for (var day = 0; day < 3; day++)
        {
            await ratings.PutAsync($"ratings/customer/date=2026-11-2{6 + day}/r{day}.json", "{}"u8.ToArray(), NoMetadata, None);
            time.Advance(TimeSpan.FromDays(1));
        }
        var range = await ZoneAudit.CrossingsAsync(lake.Store, Start, Start.AddDays(2), None).ToListAsync();
        Assert.Equal(["ratings/customer/date=2026-11-27/r1.json", "ratings/customer/date=2026-11-28/r2.json"], range.Select(c => c.Object));
        Assert.All(range, c => Assert.Equal(("azure", "aws", DataClassification.Personal), (c.FromZone, c.ToZone, c.Classification)));
    }
}

public sealed class FolderZonedLakeTests : ZonedLakeTests
{
    protected override Task<LakeStore> StartAsync() => LakeStore.FolderAsync();
}

public sealed class S3ZonedLakeTests : ZonedLakeTests
{
    protected override Task<LakeStore> StartAsync() => LakeStore.S3rverAsync();
}

public sealed class BlobZonedLakeTests : ZonedLakeTests
{
    protected override Task<LakeStore> StartAsync() => LakeStore.AzuriteAsync();
}
