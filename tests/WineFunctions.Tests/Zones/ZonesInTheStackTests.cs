using WineFunctions.Lake;
using WineFunctions.Tests.Infrastructure;
using WineFunctions.Tests.Stack;
using WineFunctions.Zones;

namespace WineFunctions.Tests.Zones;

[Collection(Collections.Librdkafka)]
public sealed class ZonesInTheStackTests
{
    [Fact]
    public async Task With_the_sink_and_the_lake_in_two_zones_every_raw_sample_object_is_written_across_and_read_across_once_and_nothing_else_crosses()
    {
        var folder = Directory.CreateTempSubdirectory("wine-zones-");
        try
        {
            var startedAt = DateTimeOffset.UtcNow;
            var (exitCode, output) = await WineUpTests.RunWineAsync(folder.FullName,
                "up", "--samples", "120", "--rate", "400", "--mqtt-port", "0", "--lake", "lake", "--zones", "sink=edge,lake=core", "--no-seed-model");
            Assert.True(exitCode == 0, output);
            Assert.Contains("120 stored in the lake", output);

            var lake = new FolderObjectStore(Path.Combine(folder.FullName, "lake"));
            var rawObjects = await lake.ListAsync(LakeLayout.RawSamples, CancellationToken.None).Select(e => e.Key).ToListAsync();
            Assert.NotEmpty(rawObjects);
            var crossings = await ZoneAudit.CrossingsAsync(lake, startedAt.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None).ToListAsync();
            // The sink (edge) writes each raw object into the core lake; predict, next to the lake in core, reads
            // each of those edge-written objects once. Nothing else crosses.
            var writes = crossings.Where(c => c.Direction == CrossingDirection.Write).ToList();
            var reads = crossings.Where(c => c.Direction == CrossingDirection.Read).ToList();
            Assert.Equal(rawObjects.Order(), writes.Select(c => c.Object).Order());
            Assert.All(writes, c => Assert.Equal(("edge", "core", DataClassification.Operational, "sink"), (c.FromZone, c.ToZone, c.Classification, c.Function)));
            Assert.Equal(rawObjects.Order(), reads.Select(c => c.Object).Order());
            Assert.All(reads, c => Assert.Equal(("edge", "core", DataClassification.Operational, "predict"), (c.FromZone, c.ToZone, c.Classification, c.Function)));
            Assert.Equal(writes.Count + reads.Count, crossings.Count);
            Assert.Equal(crossings.Count, await lake.ListAsync(LakeLayout.Audit, CancellationToken.None).CountAsync());
            foreach (var key in rawObjects)
            {
                Assert.Equal("edge", (await lake.GetAsync(key, CancellationToken.None))!.Metadata[ObjectMetadata.Zone]);
            }
            // The console wraps long lines: compare words, not line breaks.
            Assert.Contains($"{crossings.Count} zone crossings recorded under audit/", System.Text.RegularExpressions.Regex.Replace(output, @"\s+", " "));

            var (auditExit, audit) = await WineUpTests.RunWineAsync(folder.FullName, "audit", "--lake", "lake",
                "--from", startedAt.AddMinutes(-1).ToString("O"), "--to", DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"));
            Assert.True(auditExit == 0, audit);
            Assert.Contains($"{crossings.Count} zone crossings from", audit);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task In_one_zone_by_default_nothing_crosses()
    {
        var folder = Directory.CreateTempSubdirectory("wine-one-zone-");
        try
        {
            var (exitCode, output) = await WineUpTests.RunWineAsync(folder.FullName, "up", "--samples", "40", "--rate", "400", "--mqtt-port", "0", "--lake", "lake", "--no-seed-model");
            Assert.True(exitCode == 0, output);
            var lake = new FolderObjectStore(Path.Combine(folder.FullName, "lake"));
            var rawObjects = await lake.ListAsync(LakeLayout.RawSamples, CancellationToken.None).Select(e => e.Key).ToListAsync();
            Assert.NotEmpty(rawObjects);
            Assert.Equal(ZoneSettings.Local, (await lake.GetAsync(rawObjects[0], CancellationToken.None))!.Metadata[ObjectMetadata.Zone]);
            Assert.Empty(await lake.ListAsync(LakeLayout.Audit, CancellationToken.None).ToListAsync());
            Assert.DoesNotContain("zone crossings", output);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_bad_zones_option_stops_wine_up_naming_it()
    {
        var (exitCode, output) = await WineUpTests.RunWineAsync(Path.GetTempPath(), "up", "--zones", "bridge=edge");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("--zones: 'bridge=edge' is not place=zone", output);
    }
}
