using System.CommandLine;
using WineFunctions.Benchmarks;

var messages = new Option<int>("--messages") { Description = "Samples published for each rate measurement.", DefaultValueFactory = _ => 50_000 };
var soak = new Option<int>("--soak-seconds") { Description = "How long the bridge runs under steady load while its memory is sampled.", DefaultValueFactory = _ => 60 };
var bridge = new Command("bridge", "MQTT QoS 1 subscriber rate vs the bridge's MQTT->Kafka rate on the same broker, and the bridge's memory over a soak.") { messages, soak };
bridge.SetAction((parse, cancellationToken) => BridgeBenchmark.RunAsync(parse.GetValue(messages), parse.GetValue(soak), cancellationToken));
var samples = new Option<int>("--samples") { Description = "Samples in the topic the sink reads.", DefaultValueFactory = _ => 100_000 };
var latency = new Option<int>("--latency-seconds") { Description = "How long devices publish for the latency measurement.", DefaultValueFactory = _ => 30 };
var sink = new Command("sink", "Kafka consumer rate vs the sink's rate to the folder store and s3rver, its peak buffer, and publish-to-lake latency.") { samples, latency };
sink.SetAction((parse, cancellationToken) => SinkBenchmark.RunAsync(parse.GetValue(samples), parse.GetValue(latency), cancellationToken));
var predictSamples = new Option<int>("--samples") { Description = "Samples in the raw object for batch throughput.", DefaultValueFactory = _ => 100_000 };
var iterations = new Option<int>("--iterations") { Description = "Timed single-sample predictions per path (a tenth more warm up first).", DefaultValueFactory = _ => 50_000 };
var coldRuns = new Option<int>("--cold-runs") { Description = "Fresh processes per cold-start measurement.", DefaultValueFactory = _ => 10 };
var predict = new Command("predict", "ONNX Runtime (our predict path) vs ML.NET on the same tuned UCI model: latency, batch throughput, cold start, score equality.") { predictSamples, iterations, coldRuns };
predict.SetAction((parse, cancellationToken) => PredictBenchmark.RunAsync(parse.GetValue(predictSamples), parse.GetValue(iterations), parse.GetValue(coldRuns), cancellationToken));
var mlnetBootstrap = new Command("predict-mlnet-bootstrap", "The predict bootstrap on ML.NET, for the cold-start comparison (started by the predict benchmark).") { Hidden = true };
mlnetBootstrap.SetAction((_, cancellationToken) => PredictBenchmark.MlNetBootstrapAsync(cancellationToken));
return await new RootCommand("WineFunctions benchmarks (timings live here, never in tests).") { bridge, sink, predict, mlnetBootstrap }.Parse(args).InvokeAsync();
