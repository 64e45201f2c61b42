using Azure.Storage.Blobs;
using WineFunctions.Lake;
using WineFunctions.Tests.Infrastructure;
using WineFunctions.Zones;

namespace WineFunctions.Tests.Lake;

/// <summary>
/// On Azure Blob the audit records live in a container of their own (Lake:BlobAuditContainer), which
/// Terraform gives a time-based immutability policy; the lake reads and lists them as if they were beside the rest.
/// </summary>
public sealed class BlobAuditContainerTests
{
    [Fact]
    public async Task Audit_records_go_to_the_audit_container_and_listings_take_in_both_in_key_order()
    {
        await using var azurite = await NodeServer.StartAzuriteAsync();
        var connection = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={LakeStore.AzuriteKey};BlobEndpoint=http://127.0.0.1:{azurite.Port}/devstoreaccount1;";
        var lakeContainer = new BlobContainerClient(connection, "lake");
        var auditContainer = new BlobContainerClient(connection, "lake-audit");
        await lakeContainer.CreateIfNotExistsAsync();
        await auditContainer.CreateIfNotExistsAsync();
        var lake = new LakeSettings { Kind = LakeKind.Blob, BlobConnectionString = connection, BlobContainer = "lake", BlobAuditContainer = "lake-audit" }.Open();

        // A write across zones leaves its audit record, which lands in the audit container only.
        var edge = lake.InZone(new ZoneSettings { Name = "edge" }, "core", "sink", TimeProvider.System);
        await edge.PutAsync("raw/samples/date=2026-12-02/hour=10/a.parquet", new byte[] { 1 }, new Dictionary<string, string>(), CancellationToken.None);
        await lake.PutAsync("_state/sink/claim.json", new byte[] { 2 }, new Dictionary<string, string>(), CancellationToken.None);
        var audit = Assert.Single(await lake.ListAsync(LakeLayout.Audit, CancellationToken.None).ToListAsync());
        Assert.NotNull(await lake.GetAsync(audit.Key, CancellationToken.None));
        Assert.Equal([audit.Key], await auditContainer.GetBlobsAsync().Select(b => b.Name).ToListAsync());
        Assert.Equal(["_state/sink/claim.json", "raw/samples/date=2026-12-02/hour=10/a.parquet"],
            (await lakeContainer.GetBlobsAsync().Select(b => b.Name).ToListAsync()).Order(StringComparer.Ordinal));

        var all = await lake.ListAsync("", CancellationToken.None).Select(e => e.Key).ToListAsync();
        Assert.Equal(["_state/sink/claim.json", audit.Key, "raw/samples/date=2026-12-02/hour=10/a.parquet"], all);
        Assert.Equal([audit.Key], await lake.ListAsync("a", CancellationToken.None).Select(e => e.Key).ToListAsync()); // "a" takes in audit/ only
    }
}
