using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using WineFunctions.Ratings;
using WineFunctions.Ratings.Http;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Benchmarks;

/// <summary>
/// wrk on loopback against the ratings API on Kestrel: requests/s and p99 latency of the trivial
/// endpoint (ping), reading a batch card, and posting a rating (each with its own Idempotency-Key, each a new or changed rating),
/// in one run, on SQLite and on a real PostgreSQL server.
/// Targets: card >= 0.5 x ping rate; rating POST p99 under 20 ms at 64 connections.
/// </summary>
internal static partial class RatingsBenchmark
{
    private const string Wrk = "/usr/bin/wrk";

    public static async Task<int> RunAsync(int seconds, int connections, bool postgres, CancellationToken cancellationToken)
    {
        if (!File.Exists(Wrk))
        {
            Console.Error.WriteLine($"{Wrk} is missing: apt-get install wrk");
            return 2;
        }
        await using var lake = await LakeStore.FolderAsync();
        var batches = await RatingsLakeSeed.SeedAsync(lake.Store, batches: 200, samplesPerBatch: 10);
        var folder = Directory.CreateTempSubdirectory("wine-ratings-bench-");
        try
        {
            return await MeasureAsync(lake, batches, folder, seconds, connections, postgres, cancellationToken);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private static async Task<int> MeasureAsync(LakeStore lake, IReadOnlyList<SeededBatch> batches, DirectoryInfo folder, int seconds, int connections, bool postgres,
        CancellationToken cancellationToken)
    {
        await using var server = postgres ? await PostgresServer.StartAsync() : null;
        var database = server is null
            ? new RatingsDatabase { ConnectionString = $"Data Source={Path.Combine(folder.FullName, "ratings.db")}" }
            : new RatingsDatabase { Provider = DatabaseProvider.Postgres, ConnectionString = await server.CreateDatabaseAsync() };
        var issuer = new DevelopmentIssuer();
        await using var api = await RatingsServer.StartAsync(new RatingsOptions
        {
            Database = database,
            Jwt = issuer.Settings,
            RateLimit = new RateLimitSettings { PerSecond = 1_000_000, Burst = 1_000_000 },
        }, lake.Store, "http://127.0.0.1:0", null, cancellationToken);
        Console.WriteLine($"ratings API on {api.Url}, {database.Provider}, {batches.Count} batches; wrk {seconds} s, {connections} connections, {Environment.ProcessorCount} cores shared by wrk and the API");

        // Each POST sets one customer's rating of one batch (64 customers x 200 batches, the stars changing on each round), so nearly every one
        // creates or changes a rating: repeating one customer's same rating would be answered without a write.
        var tokens = string.Join(",", Enumerable.Range(0, 64).Select(i => $"\"{issuer.CustomerToken($"bench-customer-{i}")}\""));
        var batchIds = string.Join(",", batches.Select(b => $"\"{b.BatchId}\""));
        var script = Path.Combine(folder.FullName, "rate.lua");
        await File.WriteAllTextAsync(script, $$"""
            local tokens = { {{tokens}} }
            local batches = { {{batchIds}} }
            local counter = math.random(0, 1000000)
            local thread_id = tostring(math.random(1, 1000000000))
            request = function()
              counter = counter + 1
              local headers = {}
              headers["Content-Type"] = "application/json"
              headers["Authorization"] = "Bearer " .. tokens[counter % #tokens + 1]
              headers["Idempotency-Key"] = thread_id .. "-" .. counter
              local batch = batches[math.floor(counter / #tokens) % #batches + 1]
              return wrk.format("POST", "/api/v1/batches/" .. batch .. "/ratings", headers, '{"stars":' .. (math.floor(counter / (#tokens * #batches)) % 5 + 1) .. ',"note":"benchmark"}')
            end
            """, cancellationToken);

        // Warm up the JIT and the pools, then measure the three side by side.
        await RunWrkAsync(api.Url + "/api/v1/ping", 3, connections, null, cancellationToken);
        await RunWrkAsync(api.Url + $"/api/v1/batches/{batches[3].BatchId}", 3, connections, null, cancellationToken);
        await RunWrkAsync(api.Url, 3, connections, script, cancellationToken);
        var ping = await RunWrkAsync(api.Url + "/api/v1/ping", seconds, connections, null, cancellationToken);
        var card = await RunWrkAsync(api.Url + $"/api/v1/batches/{batches[3].BatchId}", seconds, connections, null, cancellationToken);
        var rate = await RunWrkAsync(api.Url, seconds, connections, script, cancellationToken);

        Console.WriteLine($"| endpoint | requests/s | p50 ms | p99 ms | non-2xx |");
        Console.WriteLine($"|---|---|---|---|---|");
        foreach (var (name, r) in new[] { ("GET /api/v1/ping (trivial)", ping), ("GET /api/v1/batches/{id} (card)", card), ("POST /api/v1/batches/{id}/ratings", rate) })
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {r.RequestsPerSecond:N0} | {r.P50Ms:0.00} | {r.P99Ms:0.00} | {r.Errors} |"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"card / trivial = {card.RequestsPerSecond / ping.RequestsPerSecond:0.00} (target >= 0.5); rating POST p99 = {rate.P99Ms:0.00} ms (target < 20 ms)"));
        // The lake gets every accepted rating from the outbox; how far behind was it when wrk stopped?
        var store = (IRatingsStore)api.Services.GetService(typeof(IRatingsStore))!;
        var backlog = await store.PendingLakeWriteCountAsync(cancellationToken);
        var draining = Stopwatch.StartNew();
        while (await store.PendingLakeWriteCountAsync(cancellationToken) > 0 && draining.Elapsed < TimeSpan.FromMinutes(1))
        {
            await Task.Delay(100, cancellationToken);
        }
        var (standing, _, _) = await store.CountsAsync(cancellationToken);
        var inLake = await lake.Store.ListAsync(WineFunctions.Lake.LakeLayout.CustomerRatings, cancellationToken).CountAsync(cancellationToken);
        Console.WriteLine($"rating revisions in the lake {inLake:N0} ({standing:N0} standing ratings); outbox backlog when wrk stopped {backlog:N0}, drained in {draining.Elapsed.TotalSeconds:0.0} s");
        return 0;
    }

    private sealed record WrkResult(double RequestsPerSecond, double P50Ms, double P99Ms, long Errors);

    private static async Task<WrkResult> RunWrkAsync(string url, int seconds, int connections, string? script, CancellationToken cancellationToken)
    {
        List<string> arguments = ["-t2", $"-c{connections}", $"-d{seconds}s", "--latency"];
        if (script is not null)
        {
            arguments.AddRange(["-s", script]);
        }
        arguments.Add(url);
        var start = new ProcessStartInfo(Wrk, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var wrk = Process.Start(start)!;
        var output = await wrk.StandardOutput.ReadToEndAsync(cancellationToken);
        await wrk.WaitForExitAsync(cancellationToken);
        var rate = double.Parse(RequestsLine().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var errors = NonSuccessLine().Match(output) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        return new WrkResult(rate, Percentile(output, "50%"), Percentile(output, "99%"), errors);
    }

    /// <summary>wrk prints latencies as e.g. <c>99%    3.21ms</c>, <c>812.00us</c> or <c>1.02s</c>.</summary>
    private static double Percentile(string output, string percentile)
    {
        var match = Regex.Match(output, $@"^\s*{Regex.Escape(percentile)}\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccessLine();
}
