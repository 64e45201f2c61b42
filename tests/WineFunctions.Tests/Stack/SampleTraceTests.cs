using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using OpenTelemetry;
using OpenTelemetry.Trace;
using WineFunctions.Lake;
using WineFunctions.Stack;
using WineFunctions.Telemetry;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Stack;

/// <summary>
/// Samples through the local stack with OpenTelemetry's in-memory exporter: each sample is one
/// trace from the device's send through the bridge's Kafka publish; the sink's span that writes a
/// raw object links every sample in it, and predict continues that span's trace from the object's metadata.
/// </summary>
[Collection(Collections.Librdkafka)]
public sealed class SampleTraceTests
{
    [Fact]
    public async Task Each_sample_is_one_trace_from_its_device_to_Kafka_linked_from_the_raw_object_whose_trace_predict_continues()
    {
        var spans = new List<Activity>();
        var folder = Directory.CreateTempSubdirectory("wine-trace-");
        try
        {
            var lakeFolder = Path.Combine(folder.FullName, "lake");
            var lake = new FolderObjectStore(lakeFolder);
            await lake.PutAsync("training/simulated.csv", TrainingData.Csv(TrainingData.Simulated(1200, seed: 5)), new Dictionary<string, string>(), CancellationToken.None);
            using (Sdk.CreateTracerProviderBuilder().AddSource([.. WineTelemetry.SourceNames]).AddInMemoryExporter(spans).Build())
            {
                var stack = new LocalStack(new LocalStackOptions
                {
                    LakeDirectory = lakeFolder,
                    BridgeBufferDirectory = Path.Combine(folder.FullName, "buffer"),
                    Samples = 60,
                    SamplesPerSecond = 30,
                    MqttPort = 0,
                    ConnectionLossProbability = 0,
                }, TimeProvider.System, NullLoggerFactory.Instance);
                // Off xunit's synchronization context: the stack's loops must not queue behind the test runner's threads.
                var summary = await Task.Run(() => stack.RunAsync(_ => { }, _ => { }, CancellationToken.None)).WaitAsync(TimeSpan.FromMinutes(3));
                Assert.Equal(60, summary.Sink!.Samples);
            }

            // Spans of tests running beside this one are told apart by this run's samples and objects.
            var stored = (await SinkHarness.StoredSampleIdsAsync(lake)).ToHashSet();
            var sends = spans.Where(s => s.Source == WineTelemetry.Devices && stored.Contains((string)s.GetTagItem("wine.sample.id")!)).ToList();
            Assert.Equal(stored.Order(), sends.Select(s => (string)s.GetTagItem("wine.sample.id")!).Order());
            Assert.Equal(stored.Count, sends.Select(s => s.TraceId).Distinct().Count()); // one trace per sample
            Assert.All(sends, s => Assert.Equal((default(ActivitySpanId), ActivityKind.Producer), (s.ParentSpanId, s.Kind)));

            var publishes = spans.Where(s => s.Source == WineTelemetry.Ingest).ToLookup(s => s.ParentSpanId);
            var published = sends.Select(send =>
            {
                var publish = Assert.Single(publishes[send.SpanId]);
                Assert.Equal((send.TraceId, "publish wine.samples", "wine.samples"), (publish.TraceId, publish.DisplayName, (string)publish.GetTagItem("messaging.destination.name")!));
                return publish;
            }).ToList();

            var raw = await lake.ListAsync(LakeLayout.RawSamples, CancellationToken.None).Select(e => e.Key).ToListAsync();
            var processes = spans.Where(s => s.Source == WineTelemetry.Sink && raw.Contains((string)s.GetTagItem("wine.lake.object")!)).ToList();
            Assert.Equal(raw.Order(), processes.Select(p => (string)p.GetTagItem("wine.lake.object")!).Order());
            // Every sample's publish is linked from exactly one raw object's span.
            var linked = processes.SelectMany(p => p.Links.Select(l => $"{l.Context.TraceId}-{l.Context.SpanId}")).Order(StringComparer.Ordinal);
            Assert.Equal(published.Select(p => $"{p.TraceId}-{p.SpanId}").Order(StringComparer.Ordinal), linked);

            var predicts = spans.Where(s => s.Source == WineTelemetry.Predict).ToLookup(s => s.ParentSpanId);
            foreach (var process in processes)
            {
                var key = (string)process.GetTagItem("wine.lake.object")!;
                Assert.Equal(process.Id, (await lake.GetAsync(key, CancellationToken.None))!.Metadata[WineTelemetry.TraceParent]);
                // Objects stored before the first model was promoted were tried once without one (an error span) and again after.
                var predict = Assert.Single(predicts[process.SpanId], p => (string)p.GetTagItem("faas.document.name")! == key && p.Status != ActivityStatusCode.Error);
                Assert.Equal((process.TraceId, LakeLayout.PredictionsFor(key)), (predict.TraceId, (string)predict.GetTagItem("wine.lake.object")!));
                Assert.Equal(predict.Id, (await lake.GetAsync(LakeLayout.PredictionsFor(key), CancellationToken.None))!.Metadata[WineTelemetry.TraceParent]);
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
