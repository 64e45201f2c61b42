using WineFunctions.Lake;
using WineFunctions.Ratings;
using WineFunctions.Registry;
using WineFunctions.Stack;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Stack;

[Collection(Collections.Librdkafka)]
public sealed partial class WineUpTests
{
    [Fact]
    public async Task Wine_up_with_200_samples_on_embedded_defaults_exits_0()
    {
        var folder = Directory.CreateTempSubdirectory("wine-up-");
        try
        {
            var endpointsFile = Path.Combine(folder.FullName, "endpoints.json");
            var (exitCode, output) = await RunWineAsync(folder.FullName,
                "up", "--samples", "200", "--rate", "500", "--mqtt-port", "0", "--lake", "lake", "--endpoints-file", endpointsFile);
            Assert.True(exitCode == 0, output);
            Assert.Contains("200 samples delivered, 0 still queued", output);
            Assert.Contains("200 stored in the lake", output);

            // A newcomer's first run shows every flow: the first model is trained on the shipped UCI data and predicts.
            Assert.Contains("the registry has no champion", output);
            var lake = new FolderObjectStore(Path.Combine(folder.FullName, "lake"));
            var registry = new ModelRegistry(lake);
            var champion = await registry.GetChampionAsync(CancellationToken.None);
            Assert.NotNull(champion);
            var card = await registry.GetCardAsync(champion.Version, CancellationToken.None);
            Assert.Equal(ChampionSeed.Upload, card!.DataSet.Key);
            Assert.Equal(6497, card.DataSet.Rows);
            var raw = await Keys(lake, LakeLayout.RawSamples);
            var predictions = await Keys(lake, LakeLayout.Predictions);
            Assert.NotEmpty(raw);
            Assert.Equal(raw.Select(k => k[LakeLayout.RawSamples.Length..]).Order(), predictions.Select(k => k[LakeLayout.Predictions.Length..]).Order());

            // ... and recommendations have offers: distributors stock the simulated batches.
            var distributors = DistributorDirectory.Parse((await lake.GetAsync(LakeLayout.Distributors, CancellationToken.None))!.Content);
            Assert.Equal(4, distributors.Distributors.Count);
            Assert.All(distributors.Distributors, d => Assert.NotEmpty(d.Stock));

            // Every MQTT password and development token is in it.
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(endpointsFile));
            var endpoints = await StackEndpoints.ReadAsync(endpointsFile, CancellationToken.None);
            Assert.Equal(3, endpoints.KafkaBootstrapServers.Split(',').Length);
            Assert.Equal(Path.Combine(folder.FullName, "lake"), endpoints.Lake);
            Assert.True(Directory.Exists(endpoints.Lake));
            Assert.Equal(7, endpoints.MqttAccounts.Count);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Wine_up_with_otlp_sends_its_traces_metrics_and_logs_to_the_collector()
    {
        await using var collector = await OtlpCollector.StartAsync();
        var folder = Directory.CreateTempSubdirectory("wine-up-otlp-");
        try
        {
            var (exitCode, output) = await RunWineAsync(folder.FullName,
                "up", "--samples", "30", "--rate", "100", "--mqtt-port", "0", "--ratings-port", "0", "--lake", "lake", "--no-seed-model", "--otlp", collector.Url, "--verbose");
            Assert.True(exitCode == 0, output);
            var exports = collector.Exports.ToList();
            foreach (var signal in new[] { "/v1/traces", "/v1/metrics", "/v1/logs" })
            {
                Assert.Contains(exports, e => e.Path == signal && e.ContentType == "application/x-protobuf" && e.Bytes > 0);
            }
            var (refused, message) = await RunWineAsync(folder.FullName, "up", "--otlp", "collector:4318");
            Assert.Equal(1, refused);
            Assert.Contains("--otlp must be an http or https address", message);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_second_run_on_the_same_lake_adds_to_it_instead_of_replacing_the_first_runs_samples()
    {
        var folder = Directory.CreateTempSubdirectory("wine-up-twice-");
        try
        {
            for (var run = 0; run < 2; run++)
            {
                var (exitCode, output) = await RunWineAsync(folder.FullName, "up", "--samples", "80", "--rate", "400", "--mqtt-port", "0", "--seed", $"{run}", "--no-seed-model");
                Assert.True(exitCode == 0, output);
                Assert.Contains("80 stored in the lake", output);
            }
            var stored = await SinkHarness.StoredSampleIdsAsync(new FolderObjectStore(Path.Combine(folder.FullName, ".wine", "lake")));
            Assert.Equal(160, stored.Count);
            Assert.Equal(160, stored.Distinct().Count());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("during start-up")]
    [InlineData("mid-run")]
    public async Task Sigterm_stops_wine_up_in_order_with_exit_0_and_every_accepted_sample_in_the_lake(string when)
    {
        var folder = Directory.CreateTempSubdirectory("wine-up-sigterm-");
        try
        {
            await using var wine = WineProcess.Start(folder.FullName, "up", "--mqtt-port", "0", "--ratings-port", "0", "--rate", "300", "--lake", "lake", "--no-seed-model");
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!UpLine().IsMatch(wine.Output))
            {
                Assert.False(wine.HasExited, wine.Output);
                Assert.True(DateTime.UtcNow < deadline, $"wine up never said it was up: {wine.Output}");
                await Task.Delay(50);
            }
            if (when == "mid-run")
            {
                await Task.Delay(TimeSpan.FromSeconds(3)); // samples flow through every stage
            }
            Assert.True(await wine.TerminateAsync(TimeSpan.FromSeconds(90)), wine.Output);
            var text = wine.Output;
            Assert.True(wine.ExitCode == 0, text);
            Assert.DoesNotContain("exception", text, StringComparison.OrdinalIgnoreCase);
            var summary = System.Text.RegularExpressions.Regex.Match(text, @"(\d+) samples delivered.*?(\d+) stored in the lake", System.Text.RegularExpressions.RegexOptions.Singleline);
            Assert.True(summary.Success, text);
            var stored = (await SinkHarness.StoredSampleIdsAsync(new FolderObjectStore(Path.Combine(folder.FullName, "lake")))).Distinct().Count();
            // Acknowledged to a device means accepted by the broker, and everything accepted is in the lake.
            Assert.True(stored >= int.Parse(summary.Groups[1].Value), text);
            Assert.Equal(int.Parse(summary.Groups[2].Value), stored);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_bad_option_stops_wine_up_at_start_naming_the_setting()
    {
        var (exitCode, output) = await RunWineAsync(Path.GetTempPath(), "up", "--samples", "0");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("--samples must be positive", output);
    }

    private static async Task<List<string>> Keys(IObjectStore lake, string prefix)
    {
        var keys = new List<string>();
        await foreach (var entry in lake.ListAsync(prefix, CancellationToken.None))
        {
            keys.Add(entry.Key);
        }
        return keys;
    }

    internal static Task<(int ExitCode, string Output)> RunWineAsync(string workingDirectory, params string[] args) =>
        Commands.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "wine.dll"), .. args], workingDirectory, TimeSpan.FromMinutes(3));

    [System.Text.RegularExpressions.GeneratedRegex("(?m)^up:")]
    private static partial System.Text.RegularExpressions.Regex UpLine();
}
