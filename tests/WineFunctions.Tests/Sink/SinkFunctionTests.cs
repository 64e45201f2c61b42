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
    [Fact]
    public void The_sink_app_declares_a_batched_kafkaTrigger_on_the_configured_topic_and_consumer_group()
    {
        var function = Assert.Single(FunctionsMetadata.Read("functions/sink"));
        Assert.Equal("SampleSink", (string)function!["name"]!);
        Assert.Equal("dotnet-isolated", (string)function["language"]!);
        var trigger = Assert.Single(function["bindings"]!.AsArray())!;
        Assert.Equal("kafkaTrigger", (string)trigger["type"]!);
        Assert.Equal("In", (string)trigger["direction"]!);
        Assert.Equal("Many", (string)trigger["cardinality"]!);
        Assert.Equal("String", (string)trigger["dataType"]!);
        Assert.Equal("%SinkTopic%", (string)trigger["topic"]!);
        Assert.Equal("%SinkConsumerGroup%", (string)trigger["consumerGroup"]!);
        Assert.Equal("%KafkaBrokerList%", (string)trigger["brokerList"]!);
        Assert.Equal(-1, (int)function["retry"]!["maxRetryCount"]!);

        // The app settings the trigger names are the ones the local settings (and Terraform) define.
        var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(NodeServer.RepositoryRoot(), "functions/sink/local.settings.json")))
            .RootElement.GetProperty("Values");
        Assert.Equal("wine.samples", settings.GetProperty("SinkTopic").GetString());
        Assert.Equal("wine-sink", settings.GetProperty("SinkConsumerGroup").GetString());
    }

    [Fact]
    public async Task A_batch_as_the_Kafka_extension_delivers_it_lands_in_Blob_storage_and_a_retry_rewrites_the_same_objects()
    {
        await using var lake = await LakeStore.AzuriteAsync();
        var runs = new RunStore(lake.Store, SampleFormat.Parquet, TimeProvider.System, NullLogger.Instance);
        var sink = new FunctionBatchSink(runs, NullLogger<FunctionBatchSink>.Instance);
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
