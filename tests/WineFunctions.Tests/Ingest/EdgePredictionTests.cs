using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using WineFunctions.Ingest;
using WineFunctions.Lake;
using WineFunctions.Mqtt;
using WineFunctions.Prediction;
using WineFunctions.Registry;
using WineFunctions.Samples;
using WineFunctions.Tests.Infrastructure;
using WineFunctions.Training;
using WineFunctions.Models;

namespace WineFunctions.Tests.Ingest;

/// <summary>
/// The bridge's edge option, through real servers: mosquitto, the bridge in-process, the Kafka mock
/// cluster, and a folder lake holding the model registry (and, for the sink, the raw samples).
/// </summary>
[Collection(Collections.Librdkafka)]
public sealed class EdgePredictionTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly string[] PredictionHeaderNames =
        [PredictionHeaders.PredictedClass, PredictionHeaders.ModelVersion, PredictionHeaders.ProbabilityGood, PredictionHeaders.ProbabilityBetter, PredictionHeaders.ProbabilityBest];
    private readonly DirectoryInfo _lakeFolder = Directory.CreateTempSubdirectory("wine-edge-lake-");
    private readonly FolderObjectStore _lake;

    public EdgePredictionTests() => _lake = new FolderObjectStore(_lakeFolder.FullName);

    public void Dispose() => _lakeFolder.Delete(recursive: true);

    private EdgePredictionSettings Edge(bool enabled = true) =>
        new() { Enabled = enabled, Lake = new LakeSettings { Kind = LakeKind.Folder, Folder = _lakeFolder.FullName }, ChampionCheckSeconds = 1 };

    private async Task TrainChampionAsync()
    {
        await _lake.PutAsync("training/simulated.csv", TrainingData.Csv(TrainingData.Simulated(600, seed: 8)), new Dictionary<string, string>(), None);
        var record = await new TrainingService(_lake, TimeProvider.System, NullLogger<TrainingService>.Instance, TrainerSettings.Tuned with { Iterations = 50 })
            .TrainUploadAsync("training/simulated.csv", "test", null, None);
        Assert.Equal(TrainingOutcome.Promoted, record!.Outcome);
    }

    private static IReadOnlyList<WineSample> Samples(string prefix, int count, int seed) =>
    [
        .. TrainingData.Simulated(count, seed).Select((row, i) => WineSample.Create($"{prefix}-{i:D4}", $"batch-{i % 5}", "wh-01", "wh-01-dev-1",
            DateTimeOffset.UtcNow, row.Colour, row.Values)),
    ];

    private static async Task PublishAsync(int port, IEnumerable<WineSample> samples)
    {
        await using var device = await MqttPublisher.ConnectAsync(port, "wh-01-dev-1");
        foreach (var sample in samples)
        {
            Assert.True((await device.PublishAsync(WarehouseTopics.Samples("wh-01"), SampleJson.Serialize(sample))).IsSuccess);
        }
    }

    private static List<ConsumeResult<byte[]?, byte[]>> ReadSamples(BridgeHarness harness, int count) =>
        KafkaTopic.Read(harness.Kafka.BootstrapServers, BridgeHarness.Topic, r => r.Count >= count, Patience);

    private static bool HasPredictionHeader(ConsumeResult<byte[]?, byte[]> record) =>
        record.Message.Headers.Any(h => PredictionHeaderNames.Contains(h.Key));

    private static async Task WaitForModelVersionAsync(BridgeHarness harness, int version)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (harness.Bridge!.Status.EdgeModelVersion != version)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the bridge did not load model version {version} within 30 s");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task With_a_champion_each_sample_carries_its_prediction_in_headers_and_the_sink_stores_it_unchanged()
    {
        await TrainChampionAsync();
        await using var mosquitto = await MosquittoServer.StartAsync();
        await using var harness = BridgeHarness.Create();
        harness.Start(harness.Options(mosquitto.Port) with { EdgePrediction = Edge() });
        await harness.WaitUntilConnectedAsync();
        await WaitForModelVersionAsync(harness, 1);

        var published = Samples("edge", 40, seed: 3);
        await PublishAsync(mosquitto.Port, published);
        var records = ReadSamples(harness, 40);
        Assert.Equal(40, records.Count);

        // The same samples straight through the registered champion give the same classes and probabilities.
        var registry = new ModelRegistry(_lake);
        var card = (await registry.GetCardAsync(1, None))!;
        var champion = new SampleClassifier(await registry.ReadArtifactAsync(card.OnnxKey, None), 1, card.Decision);
        var samples = records.Select(BridgeTests.Sample).ToList();
        var direct = RawObjectPredictor.Predict(champion, samples);
        Assert.Equal(3, direct.Select(p => p.PredictedClass).Distinct().Count());
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            Assert.Equal(direct[i].PredictedClass, record.Header(PredictionHeaders.PredictedClass));
            Assert.Equal("1", record.Header(PredictionHeaders.ModelVersion));
            Assert.Equal(direct[i].ProbabilityGood, double.Parse(record.Header(PredictionHeaders.ProbabilityGood), CultureInfo.InvariantCulture));
            Assert.Equal(direct[i].ProbabilityBetter, double.Parse(record.Header(PredictionHeaders.ProbabilityBetter), CultureInfo.InvariantCulture));
            Assert.Equal(direct[i].ProbabilityBest, double.Parse(record.Header(PredictionHeaders.ProbabilityBest), CultureInfo.InvariantCulture));
            // The value is the sample in the v1 contract, exactly as without the option.
            Assert.Equal(SampleJson.Serialize(samples[i]), record.Message.Value);
            Assert.Equal("wh-01", record.Header(BridgeHeaders.Warehouse));
        }
        Assert.Equal(published.Select(s => s.SampleId).Order(), samples.Select(s => s.SampleId).Order());
        Assert.Equal((40L, 0L, 40L), (harness.Metrics.Counts.Predicted, harness.Metrics.Counts.Unpredicted, harness.Metrics.Counts.Forwarded));

        // Downstream is unchanged: the sink, which knows nothing of these headers, stores every sample.
        await using var sinks = new SinkHarness(harness.Kafka, BridgeHarness.Topic);
        sinks.StartSink(sinks.Options(), _lake);
        await SinkHarness.WaitForAsync(async () => (await SinkHarness.StoredSampleIdsAsync(_lake)).Distinct().Count() >= 40, Patience, "40 samples in the lake");
        await sinks.StopSinksAsync();
        Assert.Equal(published.Select(s => s.SampleId).Order(), (await SinkHarness.StoredSampleIdsAsync(_lake)).Order());
    }

    [Fact]
    public async Task Without_a_champion_samples_flow_without_a_prediction_until_one_is_promoted()
    {
        await using var mosquitto = await MosquittoServer.StartAsync();
        await using var harness = BridgeHarness.Create();
        harness.Start(harness.Options(mosquitto.Port) with { EdgePrediction = Edge() });
        await harness.WaitUntilConnectedAsync();

        await PublishAsync(mosquitto.Port, Samples("before", 20, seed: 4));
        var before = ReadSamples(harness, 20);
        Assert.Equal(20, before.Count);
        Assert.DoesNotContain(before, HasPredictionHeader);
        Assert.Equal((0L, 20L, 20L), (harness.Metrics.Counts.Predicted, harness.Metrics.Counts.Unpredicted, harness.Metrics.Counts.Forwarded));
        Assert.Null(harness.Bridge!.Status.EdgeModelVersion);

        // A promotion reaches the running bridge within its check interval.
        await TrainChampionAsync();
        await WaitForModelVersionAsync(harness, 1);
        await PublishAsync(mosquitto.Port, Samples("after", 20, seed: 5));
        var after = ReadSamples(harness, 40).Where(r => BridgeTests.Sample(r).SampleId.StartsWith("after-", StringComparison.Ordinal)).ToList();
        Assert.Equal(20, after.Count);
        Assert.All(after, r => Assert.Equal("1", r.Header(PredictionHeaders.ModelVersion)));
        Assert.All(after, r => Assert.Contains(r.Header(PredictionHeaders.PredictedClass), new[] { "good", "better", "best" }));
        Assert.Equal((20L, 20L, 40L), (harness.Metrics.Counts.Predicted, harness.Metrics.Counts.Unpredicted, harness.Metrics.Counts.Forwarded));
    }

    [Fact]
    public async Task An_unreachable_registry_costs_no_sample()
    {
        await using var mosquitto = await MosquittoServer.StartAsync();
        await using var harness = BridgeHarness.Create();
        // An S3 lake on a port nobody listens on.
        var unreachable = new EdgePredictionSettings
        {
            Enabled = true,
            ChampionCheckSeconds = 1,
            Lake = new LakeSettings { Kind = LakeKind.S3, S3 = new S3LakeSettings { Bucket = "wine-lake", ServiceUrl = "http://127.0.0.1:9", ForcePathStyle = true, AccessKey = "x", SecretKey = "x" } },
        };
        harness.Start(harness.Options(mosquitto.Port) with { EdgePrediction = unreachable });
        await harness.WaitUntilConnectedAsync();

        await PublishAsync(mosquitto.Port, Samples("s", 20, seed: 6));
        var records = ReadSamples(harness, 20);
        Assert.Equal(20, records.Count);
        Assert.DoesNotContain(records, HasPredictionHeader);
        Assert.Equal((0L, 20L, 20L), (harness.Metrics.Counts.Predicted, harness.Metrics.Counts.Unpredicted, harness.Metrics.Counts.Forwarded));
    }

    [Fact]
    public async Task Off_by_default_no_sample_carries_a_prediction_even_with_a_champion_in_the_lake()
    {
        Assert.False(new BridgeOptions().EdgePrediction.Enabled);
        await TrainChampionAsync();
        await using var mosquitto = await MosquittoServer.StartAsync();
        await using var harness = BridgeHarness.Create();
        harness.Start(harness.Options(mosquitto.Port) with { EdgePrediction = Edge(enabled: false) });
        await harness.WaitUntilConnectedAsync();

        await PublishAsync(mosquitto.Port, Samples("off", 20, seed: 7));
        var records = ReadSamples(harness, 20);
        Assert.Equal(20, records.Count);
        Assert.DoesNotContain(records, HasPredictionHeader);
        Assert.Equal((0L, 0L, 20L), (harness.Metrics.Counts.Predicted, harness.Metrics.Counts.Unpredicted, harness.Metrics.Counts.Forwarded));
        Assert.Null(harness.Bridge!.Status.EdgeModelVersion);
    }

    [Fact]
    public void Edge_settings_bind_from_configuration_and_bad_ones_are_named_only_when_enabled()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bridge:Kafka:BootstrapServers"] = "kafka:9092",
            ["Bridge:EdgePrediction:Enabled"] = "true",
            ["Bridge:EdgePrediction:Lake:Kind"] = "S3",
            ["Bridge:EdgePrediction:Lake:S3:Bucket"] = "wine-lake",
            ["Bridge:EdgePrediction:ChampionCheckSeconds"] = "60",
        }).Build();
        var options = configuration.GetSection("Bridge").Get<BridgeOptions>()!;
        Assert.True(options.EdgePrediction.Enabled);
        Assert.Equal((LakeKind.S3, "wine-lake"), (options.EdgePrediction.Lake.Kind, options.EdgePrediction.Lake.S3!.Bucket));
        Assert.Equal(TimeSpan.FromMinutes(1), options.EdgePrediction.ChampionCheckInterval);
        Assert.Empty(options.Problems());

        var bad = options with { EdgePrediction = new EdgePredictionSettings { Enabled = true, ChampionCheckSeconds = 0, Lake = new LakeSettings { Kind = LakeKind.S3 } } };
        var problems = bad.Problems();
        Assert.Contains(problems, p => p.StartsWith("Bridge:EdgePrediction:ChampionCheckSeconds", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Bridge:EdgePrediction:Lake:S3:Bucket", StringComparison.Ordinal) && p.Contains("Bridge:EdgePrediction:Lake:Kind", StringComparison.Ordinal));
        Assert.Equal(2, problems.Count);
        Assert.Empty((bad with { EdgePrediction = bad.EdgePrediction with { Enabled = false } }).Problems());
    }

    [Theory]
    [InlineData("Bridge__EdgePrediction__Enabled", "yes", "Bridge:EdgePrediction:Enabled")]
    [InlineData("Bridge__EdgePrediction__ChampionCheckSeconds", "0", "Bridge:EdgePrediction:ChampionCheckSeconds must be 1-3600")]
    public async Task The_bridge_host_stops_at_start_naming_a_bad_edge_setting(string variable, string value, string named)
    {
        await using var harness = BridgeHarness.Create();
        await using var bridge = BridgeProcess.Start(harness.Options(1883), EmbeddedMqttBroker.FreeLoopbackPort(), new Dictionary<string, string>
        {
            ["Bridge__EdgePrediction__Enabled"] = "true",
            ["Bridge__EdgePrediction__Lake__Folder"] = _lakeFolder.FullName,
            [variable] = value,
        });
        Assert.True(await bridge.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the bridge must stop on a bad configuration");
        Assert.Equal(2, bridge.ExitCode);
        Assert.Contains(named, bridge.Output);
    }
}
