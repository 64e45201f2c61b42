using System.CommandLine;
using WineFunctions.Benchmarks;
using WineFunctions.Models;

var messages = new Option<int>("--messages") { Description = "Samples published for each rate measurement.", DefaultValueFactory = _ => 50_000 };
var soak = new Option<int>("--soak-seconds") { Description = "How long the bridge runs under steady load while its memory is sampled.", DefaultValueFactory = _ => 60 };
var tracing = new Option<bool>("--tracing") { Description = "Each round also runs a bridge that traces every sample and exports over OTLP to a collector the benchmark runs." };
var warmUp = new Option<int>("--warm-up") { Description = "Samples each subscriber takes, untimed, before its timed run: a fresh bridge process runs slower until the JIT's tiered code settles.", DefaultValueFactory = _ => 400_000 };
var rounds = new Option<int>("--rounds") { Description = "Rounds of raw subscriber then bridge(s), each ratio taken within its round.", DefaultValueFactory = _ => 1 };
rounds.Validators.Add(result =>
{
    if (result.GetValueOrDefault<int>() < 1)
    {
        result.AddError("--rounds must be at least 1");
    }
});
var bridge = new Command("bridge", "MQTT QoS 1 subscriber rate vs the bridge's MQTT->Kafka rate on the same broker, and the bridge's memory over a soak.") { messages, warmUp, soak, rounds, tracing };
bridge.SetAction((parse, cancellationToken) => BridgeBenchmark.RunAsync(parse.GetValue(messages), parse.GetValue(warmUp), parse.GetValue(soak), parse.GetValue(rounds), parse.GetValue(tracing), cancellationToken));
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
var set = new Option<string>("--set") { Description = "fixed (hand-picked class candidates), random (random search), confirm (the leaders on three fold seeds), tolerance (score models, grouped and random folds), shipped (TrainerSettings.Tuned via WineModelTrainer, fit times); nested, nested-inner, bagged, ordinal, cut-points, dart, variants, nested-random, repeats, cortez (docs/training.md).", DefaultValueFactory = _ => "fixed" };
var random = new Option<int>("--random") { Description = "Candidates drawn by the random search.", DefaultValueFactory = _ => 40 };
var seed = new Option<int>("--seed") { Description = "Seed of the random search (and of the tolerance folds).", DefaultValueFactory = _ => 1 };
var foldSeed = new Option<int>("--fold-seed") { Description = "Seed of the grouped CV folds (ModelTraining uses 2).", DefaultValueFactory = _ => 2 };
var data = new Option<string?>("--data") { Description = "Folder with the UCI files (default: found like the tests find it)." };
var tune = new Command("tune", "Trainer choice by grouped stratified 5-fold CV on the UCI data: macro, micro, log-loss, fit time per candidate; tolerance accuracies per colour.") { set, random, seed, foldSeed, data };
tune.SetAction(parse => TuneBenchmark.Run(parse.GetValue(set)!, parse.GetValue(random), parse.GetValue(seed), parse.GetValue(foldSeed), parse.GetValue(data)));
var seconds = new Option<int>("--seconds") { Description = "How long wrk measures each endpoint.", DefaultValueFactory = _ => 15 };
var connections = new Option<int>("--connections") { Description = "wrk's open connections.", DefaultValueFactory = _ => 64 };
var postgres = new Option<bool>("--postgres") { Description = "Use a real PostgreSQL server (Debian's package) instead of SQLite." };
var ratings = new Command("ratings", "wrk on loopback: requests/s and p99 of the trivial endpoint, a batch card and a rating POST, in one run.") { seconds, connections, postgres };
ratings.SetAction((parse, cancellationToken) => RatingsBenchmark.RunAsync(parse.GetValue(seconds), parse.GetValue(connections), parse.GetValue(postgres), cancellationToken));
return await new RootCommand("WineFunctions benchmarks (timings live here, never in tests).") { bridge, sink, predict, mlnetBootstrap, tune, ratings }.Parse(args).InvokeAsync();
