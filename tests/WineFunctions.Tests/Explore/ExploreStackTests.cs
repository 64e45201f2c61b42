using Microsoft.Extensions.Logging.Abstractions;
using WineFunctions.Explore;
using WineFunctions.Lake;
using WineFunctions.Samples;
using WineFunctions.Stack;
using WineFunctions.Tests.Infrastructure;
using WineFunctions.Tests.Stack;

namespace WineFunctions.Tests.Explore;

/// <summary>The lake the local stack fills, read back through the explore views and the CLI.</summary>
[Collection(Collections.Librdkafka)]
public sealed class ExploreStackTests
{
    [Fact]
    public async Task Explore_queries_over_a_lake_filled_by_the_local_stack_return_the_counts_the_stack_reported()
    {
        var folder = Directory.CreateTempSubdirectory("wine-explore-stack-");
        try
        {
            var lakeFolder = Path.Combine(folder.FullName, "lake");
            var stack = new LocalStack(new LocalStackOptions
            {
                Samples = 300,
                SamplesPerSecond = 600,
                MqttPort = 0,
                ConnectionLossProbability = 0, // no resends, so what the broker accepted is what devices delivered
                LakeDirectory = lakeFolder,
                BridgeBufferDirectory = Path.Combine(folder.FullName, "buffer"),
            }, TimeProvider.System, NullLoggerFactory.Instance);
            var summary = await stack.RunAsync(_ => { }, _ => { }, new CancellationTokenSource(TimeSpan.FromMinutes(3)).Token);
            Assert.Equal(300, summary.Sink!.Samples);

            await using var session = await ExploreSession.OpenLakeAsync(new FolderObjectStore(lakeFolder), Path.Combine(folder.FullName, "cache"), null, CancellationToken.None);
            Assert.Equal(summary.Sink.Samples, await session.ScalarAsync<long>("SELECT count(DISTINCT sampleId) FROM samples", CancellationToken.None));
            Assert.Equal(summary.Sink.Objects, await session.ScalarAsync<long>("SELECT count(DISTINCT objectKey) FROM samples", CancellationToken.None));

            var byWarehouse = await session.QueryAsync("SELECT warehouseId, count(*) FROM samples GROUP BY 1 ORDER BY 1", 100, CancellationToken.None);
            Assert.Equal(summary.BrokerAcceptedByWarehouse.OrderBy(w => w.Key).Select(w => (w.Key, w.Value)),
                byWarehouse.Rows.Select(r => ((string)r[0]!, Convert.ToInt64(r[1]))));

            var byClass = await session.QueryAsync("SELECT wine, simulatedClass, count(*) FROM samples GROUP BY ALL", 100, CancellationToken.None);
            Assert.Equal(summary.Simulator!.DeliveredByClass.Where(c => c.Value > 0).ToDictionary(c => $"{c.Key.Colour.ToString().ToLowerInvariant()} {c.Key.Class.Name()}", c => c.Value),
                byClass.Rows.ToDictionary(r => $"{r[0]} {r[1]}", r => Convert.ToInt64(r[2])));
            Assert.Equal(await session.ScalarAsync<long>("SELECT count(DISTINCT batchId) FROM samples", CancellationToken.None),
                await session.ScalarAsync<long>("SELECT count(*) FROM batches", CancellationToken.None));

            // The same through `wine explore --sql`.
            var (exitCode, output) = await WineUpTests.RunWineAsync(folder.FullName, "explore", "--lake", lakeFolder, "--sql", "SELECT count(*) AS stored FROM samples");
            Assert.True(exitCode == 0, output);
            Assert.Contains("│ 300    │", output);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_prompt_shows_an_SQL_error_and_goes_on_with_the_next_statement()
    {
        await using var lake = await LakeStore.FolderAsync();
        await ExploreLake.WriteSamplesAsync(lake.Store, ExploreViewTests.Batches, samplesPerBatch: 4);
        var wine = Path.Combine(AppContext.BaseDirectory, "wine.dll");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", [wine, "explore", "--lake", lake.Store.Location])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        await process.StandardInput.WriteAsync("SELECT * FROM no_such_view;\nSELECT count(*) AS n\n  FROM samples;\n.quit\n");
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(1)).Token);
        Assert.Equal(0, process.ExitCode);
        Assert.Contains("error: Catalog Error", output);
        Assert.Contains("no_such_view", output);
        Assert.Contains("│ 12 │", output);
    }
}
