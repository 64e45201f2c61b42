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
var seconds = new Option<int>("--seconds") { Description = "How long wrk measures each endpoint.", DefaultValueFactory = _ => 15 };
var connections = new Option<int>("--connections") { Description = "wrk's open connections.", DefaultValueFactory = _ => 64 };
var postgres = new Option<bool>("--postgres") { Description = "Use a real PostgreSQL server (Debian's package) instead of SQLite." };
var ratings = new Command("ratings", "wrk on loopback: requests/s and p99 of the trivial endpoint, a batch card and a rating POST, in one run.") { seconds, connections, postgres };
ratings.SetAction((parse, cancellationToken) => RatingsBenchmark.RunAsync(parse.GetValue(seconds), parse.GetValue(connections), parse.GetValue(postgres), cancellationToken));
return await new RootCommand("WineFunctions benchmarks (timings live here, never in tests).") { bridge, sink, ratings }.Parse(args).InvokeAsync();
