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
var set = new Option<string>("--set") { Description = "fixed (hand-picked class candidates), random (random search), confirm (the leaders on three fold seeds), tolerance (score models, grouped and random folds), shipped (TrainerSettings.Tuned via WineModelTrainer, fit times).", DefaultValueFactory = _ => "fixed" };
var random = new Option<int>("--random") { Description = "Candidates drawn by the random search.", DefaultValueFactory = _ => 40 };
var seed = new Option<int>("--seed") { Description = "Seed of the random search (and of the tolerance folds).", DefaultValueFactory = _ => 1 };
var foldSeed = new Option<int>("--fold-seed") { Description = "Seed of the grouped CV folds (ModelTraining uses 2).", DefaultValueFactory = _ => 2 };
var data = new Option<string?>("--data") { Description = "Folder with the UCI files (default: found like the tests find it)." };
var tune = new Command("tune", "Trainer choice by grouped stratified 5-fold CV on the UCI data: macro, micro, log-loss, fit time per candidate; tolerance accuracies per colour.") { set, random, seed, foldSeed, data };
tune.SetAction(parse => TuneBenchmark.Run(parse.GetValue(set)!, parse.GetValue(random), parse.GetValue(seed), parse.GetValue(foldSeed), parse.GetValue(data)));
return await new RootCommand("WineFunctions benchmarks (timings live here, never in tests).") { bridge, sink, tune }.Parse(args).InvokeAsync();
