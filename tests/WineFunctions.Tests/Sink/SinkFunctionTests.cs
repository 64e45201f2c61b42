using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using WineFunctions.Lake;
using WineFunctions.Samples;
using WineFunctions.Sink;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Sink;

public sealed class SinkFunctionTests
{
    [Theory]
    [InlineData("SampleSink", "%SinkTopic%", "%SinkConsumerGroup%")]
    [InlineData("BridgeDeadLetters", "%SinkDeadLetterTopic%", "%SinkDeadLetterConsumerGroup%")]
    public void The_sink_app_declares_batched_kafkaTriggers_on_the_samples_and_dead_letter_topics(string name, string topic, string group)
    {
        var functions = FunctionsMetadata.Read("functions/sink");
        Assert.Equal(["BridgeDeadLetters", "SampleSink"], functions.Select(f => (string)f!["name"]!).Order(StringComparer.Ordinal));
        var function = functions.Single(f => (string)f!["name"]! == name)!;
        Assert.Equal("dotnet-isolated", (string)function["language"]!);
        var trigger = Assert.Single(function["bindings"]!.AsArray())!;
        Assert.Equal("kafkaTrigger", (string)trigger["type"]!);
        Assert.Equal("In", (string)trigger["direction"]!);
        Assert.Equal("Many", (string)trigger["cardinality"]!);
        Assert.Equal("String", (string)trigger["dataType"]!);
        Assert.Equal(topic, (string)trigger["topic"]!);
        Assert.Equal(group, (string)trigger["consumerGroup"]!);
        Assert.Equal("%KafkaBrokerList%", (string)trigger["brokerList"]!);
        Assert.Equal(-1, (int)function["retry"]!["maxRetryCount"]!);

        // The app settings the trigger names are the ones the local settings (and Terraform) define.
        var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(NodeServer.RepositoryRoot(), "functions/sink/local.settings.json")))
            .RootElement.GetProperty("Values");
        Assert.Equal("wine.samples", settings.GetProperty("SinkTopic").GetString());
        Assert.Equal("wine.samples.dlq", settings.GetProperty("SinkDeadLetterTopic").GetString());
        Assert.Equal("wine-sink", settings.GetProperty("SinkConsumerGroup").GetString());
        Assert.Equal("wine-sink-dead-letters", settings.GetProperty("SinkDeadLetterConsumerGroup").GetString());
    }

    [Fact]
    public async Task A_bridge_dead_letter_as_the_Kafka_extension_delivers_it_is_kept_in_Blob_storage_with_its_reasons_and_trace_context()
    {
        await using var lake = await LakeStore.AzuriteAsync();
        var archive = new BridgeDeadLetterArchive(lake.Store, NullLogger<BridgeDeadLetterArchive>.Instance);
        const string Context = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        var reasons = """[{"field":"pH","code":"OutOfRange","message":"9.5 is outside 2-5"}]""";
        var events = new[]
        {
            JsonSerializer.Serialize(new
            {
                Offset = 12, Partition = 0, Topic = "wine.samples.dlq", Value = "{\"sampleId\":\"s-9\",\"pH\":9.5}",
                Headers = new[] { new { Key = "dlq-reasons", Value = Encoding.UTF8.GetBytes(reasons) }, new { Key = "traceparent", Value = Encoding.UTF8.GetBytes(Context) } },
            }),
            JsonSerializer.Serialize(new { Offset = 13, Partition = 0, Topic = "wine.samples.dlq", Value = "not json", Headers = Array.Empty<object>() }),
        };

        await archive.WriteAsync(FunctionBatchSink.Parse(events), CancellationToken.None);
        await archive.WriteAsync(FunctionBatchSink.Parse(events), CancellationToken.None); // the host retries the batch

        var kept = await lake.Store.ListAsync(LakeLayout.BridgeDeadLetters, CancellationToken.None).ToListAsync();
        Assert.Equal([LakeLayout.BridgeDeadLetter("wine.samples.dlq", 0, 12), LakeLayout.BridgeDeadLetter("wine.samples.dlq", 0, 13)], kept.Select(o => o.Key));
        var first = (await lake.Store.GetAsync(kept[0].Key, CancellationToken.None))!;
        var letter = JsonSerializer.Deserialize<SinkDeadLetter>(first.Content, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.Equal(("wine.samples.dlq", 0, 12L, "pH: 9.5 is outside 2-5", "{\"sampleId\":\"s-9\",\"pH\":9.5}"),
            (letter.Topic, letter.Partition, letter.Offset, letter.Reason, letter.Value));
        Assert.Equal(Context, first.Metadata[WineFunctions.Telemetry.WineTelemetry.TraceParent]);
        var second = JsonSerializer.Deserialize<SinkDeadLetter>((await lake.Store.GetAsync(kept[1].Key, CancellationToken.None))!.Content, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.Equal(("not json", "the bridge gave no reason"), (second.Value, second.Reason));
    }

    [Fact]
    public async Task A_batch_as_the_Kafka_extension_delivers_it_lands_in_Blob_storage_and_a_retry_rewrites_the_same_objects()
    {
        await using var lake = await LakeStore.AzuriteAsync();
        var runs = new RunStore(lake.Store, SampleFormat.Parquet, TimeProvider.System, NullLogger.Instance);
        using var metrics = new SinkMetrics();
        var sink = new FunctionBatchSink(runs, NullLogger<FunctionBatchSink>.Instance, metrics);
        var samples = SinkHarness.Samples(40);
        // The extension's event JSON: Offset, Partition, Topic, Timestamp, Value, Key, Headers.
        var events = samples.Select((s, i) => JsonSerializer.Serialize(new
        {
            Offset = 100 + i / 2,
            Partition = i % 2,
            Topic = "wine.samples",
            Timestamp = DateTime.UtcNow,
            Value = Encoding.UTF8.GetString(SampleJson.Serialize(s)),
            Key = s.BatchId,
            Headers = Array.Empty<object>(),
        })).ToArray();

        await sink.WriteAsync(FunctionBatchSink.Parse(events), CancellationToken.None);
        Assert.Equal((40L, 2L), (metrics.Counts.Samples, metrics.Counts.Objects)); // the Function App's counters too
        var first = await lake.Store.ListAsync(LakeLayout.RawSamples, CancellationToken.None).ToListAsync();
        await sink.WriteAsync(FunctionBatchSink.Parse(events.Reverse()), CancellationToken.None); // the host retries the batch

        var second = await lake.Store.ListAsync(LakeLayout.RawSamples, CancellationToken.None).ToListAsync();
        Assert.Equal(first.Select(o => o.Key), second.Select(o => o.Key));
        Assert.Equal(2, second.Count);
        Assert.All(second, o => Assert.Contains("wine.samples+", o.Key));
        var stored = await SinkHarness.StoredSampleIdsAsync(lake.Store);
        Assert.Equal(samples.Select(s => s.SampleId).Order(), stored.Order());
    }

    [Fact]
    [Trait(Categories.Name, Categories.Unit)]
    public void The_trace_context_header_of_an_extension_event_reaches_the_sink_record()
    {
        const string Context = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        var traced = JsonSerializer.Serialize(new
        {
            Offset = 7, Partition = 1, Topic = "wine.samples", Value = "{}",
            Headers = new[] { new { Key = "warehouse", Value = Encoding.UTF8.GetBytes("wh-01") }, new { Key = "traceparent", Value = Encoding.UTF8.GetBytes(Context) } },
        });
        var untraced = JsonSerializer.Serialize(new { Offset = 8, Partition = 1, Topic = "wine.samples", Value = "{}", Headers = Array.Empty<object>() });
        Assert.Equal([Context, null], FunctionBatchSink.Parse([traced, untraced]).Select(r => r.TraceParent));
    }
}
