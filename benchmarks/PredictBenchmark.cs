using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using WineFunctions.Data;
using WineFunctions.Lake;
using WineFunctions.Lambda;
using WineFunctions.Prediction;
using WineFunctions.Registry;
using WineFunctions.Samples;
using WineFunctions.Simulation;
using WineFunctions.Tests.Infrastructure;
using WineFunctions.Tests.Predict;
using WineFunctions.Training;
using WineFunctions.Models;

namespace WineFunctions.Benchmarks;

/// <summary>
/// Prediction on this machine, one model, one run: (a) our path, the ONNX export compiled to flat
/// trees (SampleClassifier, RawObjectPredictor, the predict bootstrap), against (b) the same model
/// in ML.NET (PredictionEngine, Transform) and the same ONNX file in ONNX Runtime: single-sample
/// latency, batch throughput over a 100k-sample raw object, cold start of a fresh process to the
/// first response, and how far the paths' probabilities differ.
/// </summary>
internal static class PredictBenchmark
{
    private const string Bucket = "wine-lake";
    private const string BigKey = "raw/samples/date=2026-11-26/hour=12/wine.samples+0+000000000000.parquet";
    private const string SmallKey = "raw/samples/date=2026-11-26/hour=12/wine.samples+1+000000000000.parquet";
    private static readonly CancellationToken None = CancellationToken.None;

    public static async Task<int> RunAsync(int sampleCount, int iterations, int coldRuns, CancellationToken cancellationToken)
    {
        var uci = ReferenceData.FindWineQualityFolder();
        if (uci is null)
        {
            await Console.Error.WriteLineAsync($"The UCI Wine Quality files ({UciWineQuality.RedFile}, {UciWineQuality.WhiteFile}) are not on this machine: "
                + $"they ship in data/wine-quality; or put them in ../shared/data/wine-quality beside the checkout, or name their folder in {ReferenceData.EnvironmentVariable}.");
            return 1;
        }
        var root = NodeServer.RepositoryRoot();
        var aot = Path.Combine(root, "functions", "predict", "bin", "Release", "net10.0", "linux-x64", "publish", "bootstrap");
        var jit = Path.Combine(root, "functions", "predict", "bin", "Release", "net10.0", "bootstrap.dll");
        if (!File.Exists(aot))
        {
            await Console.Error.WriteLineAsync($"{aot} is missing: run `flock /tmp/wine-build.lock dotnet publish functions/predict -c Release` first.");
            return 1;
        }
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");

        // The model: tuned LightGbm on the UCI data, registered and promoted in a folder lake.
        var folder = Directory.CreateTempSubdirectory("wine-bench-predict-");
        var lake = new FolderObjectStore(folder.FullName);
        await lake.PutAsync("training/uci.csv", System.Text.Encoding.UTF8.GetBytes(UciWineQuality.Write(UciWineQuality.ReadFolder(uci))), new Dictionary<string, string>(), None);
        var clock = Stopwatch.StartNew();
        var record = await new TrainingService(lake, TimeProvider.System, NullLogger<TrainingService>.Instance, TrainerSettings.Tuned)
            .TrainUploadAsync("training/uci.csv", "benchmark", null, cancellationToken);
        var registry = new ModelRegistry(lake);
        var card = (await registry.GetCardAsync(record!.Version!.Value, None))!;
        var zip = await registry.ReadArtifactAsync(card.ModelKey, None);
        var onnx = await registry.ReadArtifactAsync(card.OnnxKey, None);
        Console.WriteLine($"model v{card.Version} ({record.Outcome}): {card.Trainer.Trainer}, {card.Trainer.Leaves} leaves, {card.Trainer.Iterations} iterations, "
            + $"trained in {clock.Elapsed.TotalSeconds:0} s; ML.NET zip {zip.Length / 1e6:0.00} MB, ONNX {onnx.Length / 1e6:0.00} MB; held-out macro accuracy {card.Metrics.MacroAccuracy:0.000}");

        // The raw objects: simulated samples as the sink writes them.
        var samples = Generate(sampleCount, seed: 7);
        var big = await SampleParquet.WriteAsync(samples, new Dictionary<string, string>(), None);
        await lake.PutAsync(BigKey, big, new Dictionary<string, string>(), None);
        await lake.PutAsync(SmallKey, await SampleParquet.WriteAsync(Generate(1_000, seed: 8), new Dictionary<string, string>(), None), new Dictionary<string, string>(), None);
        var features = samples.Select(s => ModelFeatures.Of(s.Wine, s.Measurements())).ToList();
        Console.WriteLine($"raw object: {samples.Count:N0} samples, {big.Length / 1e6:0.0} MB Parquet");

        var results = new List<(string What, string Onnx, string MlNet)>();
        var classifier = new SampleClassifier(onnx, card.Version, card.Decision);
        clock.Restart();
        var mlnet = new MlNetScorer(zip, card.Version, card.Decision);
        mlnet.Predict(new MlNetScorer.FeatureRow { Features = features[0] });
        var mlnetLoad = clock.Elapsed;

        // Do both paths give the same probabilities?
        var onnxPredictions = RawObjectPredictor.Predict(classifier, samples);
        var mlnetPredictions = mlnet.Predict(samples);
        var maxDifference = 0.0;
        var classDisagreements = 0;
        for (var i = 0; i < samples.Count; i++)
        {
            var (a, b) = (onnxPredictions[i], mlnetPredictions[i]);
            if (a.PredictedClass is null || b.PredictedClass is null)
            {
                classDisagreements += a.PredictedClass == b.PredictedClass ? 0 : 1;
                continue;
            }
            maxDifference = Math.Max(maxDifference, Math.Max(Math.Abs(a.ProbabilityGood!.Value - b.ProbabilityGood!.Value),
                Math.Max(Math.Abs(a.ProbabilityBetter!.Value - b.ProbabilityBetter!.Value), Math.Abs(a.ProbabilityBest!.Value - b.ProbabilityBest!.Value))));
            classDisagreements += a.PredictedClass == b.PredictedClass ? 0 : 1;
        }
        Console.WriteLine($"compiled trees vs ML.NET over {samples.Count:N0} samples: max |probability difference| {maxDifference:0.0e+0}, "
            + $"{classDisagreements} class disagreements, {onnxPredictions.Count(p => p.Rejection is not null)} rejected");

        // Single-sample latency.
        var one = new float[ModelFeatures.Count];
        var (onnxMedian, onnxP99) = Latency(iterations, i =>
        {
            features[i % features.Count].CopyTo(one, 0);
            classifier.Predict(one, 1);
        });
        var rows = features.Select(f => new MlNetScorer.FeatureRow { Features = f }).ToList();
        var (mlMedian, mlP99) = Latency(iterations, i => mlnet.Predict(rows[i % rows.Count]));
        results.Add(("single sample, median", $"{onnxMedian:0.0} us", $"{mlMedian:0.0} us"));
        using var onnxRuntime = new OnnxRuntimeScorer(onnx);
        var (ortMedian, ortP99) = Latency(iterations, i =>
        {
            features[i % features.Count].CopyTo(one, 0);
            onnxRuntime.Predict(one, 1);
        });
        results.Add(("single sample, p99", $"{onnxP99:0.0} us", $"{mlP99:0.0} us"));
        var (checkedMedian, checkedP99) = Latency(iterations, i => RawObjectPredictor.Predict(classifier, [samples[i % samples.Count]]));
        results.Add(("single sample with checks (RawObjectPredictor.Predict / engine loop), median", $"{checkedMedian:0.0} us (p99 {checkedP99:0.0})", "-"));

        // Batch throughput over the whole object.
        var flat = new float[features.Count * ModelFeatures.Count];
        for (var i = 0; i < features.Count; i++)
        {
            features[i].CopyTo(flat, i * ModelFeatures.Count);
        }
        results.Add(("batch, model only (compiled trees / Transform over a data view)",
            Rate(samples.Count, () => classifier.Predict(flat, features.Count)), Rate(samples.Count, () => mlnet.TransformAll(features))));
        results.Add(("the same ONNX file in ONNX Runtime (the path before): batch, model only / single sample median (p99)",
            Rate(samples.Count, () => onnxRuntime.Predict(flat, features.Count)), $"{ortMedian:0.0} us ({ortP99:0.0}) [ONNX Runtime]"));
        results.Add(("batch, checks + classes (RawObjectPredictor.Predict / PredictionEngine loop)",
            Rate(samples.Count, () => RawObjectPredictor.Predict(classifier, samples)), Rate(samples.Count, () => mlnet.Predict(samples))));
        var predictor = RawObjectPredictor.Create(lake, new PredictSettings(), TimeProvider.System, NullLoggerFactory.Instance);
        var mlnetObjects = new MlNetRawObjectPredictor(lake);
        results.Add(("batch, full object: read Parquet + predict + write Parquet (folder lake)",
            Rate(samples.Count, () => predictor.PredictObjectAsync(BigKey, None).GetAwaiter().GetResult()),
            Rate(samples.Count, () => mlnetObjects.PredictObjectAsync(BigKey, None).GetAwaiter().GetResult())));

        // Cold start: a fresh process to the response for a 1,000-sample object.
        var benchmarks = Path.Combine(AppContext.BaseDirectory, "WineFunctions.Benchmarks.dll");
        var aotCold = await ColdStartAsync(aot, [], folder.FullName, coldRuns);
        var jitCold = await ColdStartAsync("dotnet", [jit], folder.FullName, coldRuns);
        var mlnetCold = await ColdStartAsync("dotnet", [benchmarks, "predict-mlnet-bootstrap"], folder.FullName, coldRuns);
        results.Add(("cold start to first response, 1,000 samples: NativeAOT bootstrap", Median(aotCold), "-"));
        results.Add(("cold start, JIT bootstrap.dll / JIT ML.NET bootstrap", Median(jitCold), Median(mlnetCold)));
        results.Add(("ML.NET load zip + PredictionEngine + first prediction, in process (warm runtime)", "-", $"{mlnetLoad.TotalMilliseconds:0} ms"));

        Console.WriteLine();
        Console.WriteLine($"| measurement ({Environment.ProcessorCount} cores) | compiled trees (ours) | ML.NET |");
        Console.WriteLine("|---|---|---|");
        foreach (var (what, a, b) in results)
        {
            Console.WriteLine($"| {what} | {a} | {b} |");
        }
        Console.WriteLine();
        Console.WriteLine($"cold start runs (ms): NativeAOT {string.Join(", ", aotCold.Select(t => $"{t:0}"))}; JIT {string.Join(", ", jitCold.Select(t => $"{t:0}"))}; "
            + $"ML.NET {string.Join(", ", mlnetCold.Select(t => $"{t:0}"))}");
        var package = Path.Combine(root, "artifacts", "predict.zip");
        if (File.Exists(package))
        {
            using var archive = ZipFile.OpenRead(package);
            Console.WriteLine($"NativeAOT bootstrap {new FileInfo(aot).Length / 1e6:0.0} MB; artifacts/predict.zip {new FileInfo(package).Length / 1e6:0.0} MB: "
                + string.Join(", ", archive.Entries.Select(e => $"{e.FullName} ({e.Length / 1e6:0.0} MB)")));
        }
        folder.Delete(recursive: true);
        return 0;
    }

    private static List<WineSample> Generate(int count, int seed)
    {
        var generator = new SampleGenerator(SampleModelFigures.Uci, new Random(seed));
        var batches = Enumerable.Range(1, 500).Select(b => generator.DrawBatch($"wh-01-batch-{b:D3}")).ToList();
        var at = new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var batch = batches[i % batches.Count];
            return WineSample.Create($"bench-{seed}-{i:D8}", batch.BatchId, "wh-01", "wh-01-dev-1", at, batch.Colour, generator.DrawSample(batch), batch.Class);
        })];
    }

    /// <returns>Median and p99 in microseconds, after a tenth as many warm-up calls.</returns>
    private static (double Median, double P99) Latency(int iterations, Action<int> call)
    {
        for (var i = 0; i < iterations / 10; i++)
        {
            call(i);
        }
        var times = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var start = Stopwatch.GetTimestamp();
            call(i);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        Array.Sort(times);
        return (times[iterations / 2], times[(int)Math.Ceiling(iterations * 0.99) - 1]);
    }

    /// <summary>Samples per second: the median of three timed runs after one warm-up run.</summary>
    private static string Rate(int samples, Action run)
    {
        run();
        var seconds = Enumerable.Range(0, 3).Select(_ =>
        {
            var clock = Stopwatch.StartNew();
            run();
            return clock.Elapsed.TotalSeconds;
        }).Order().ToList();
        return $"{samples / seconds[1]:N0} samples/s";
    }

    private static string Median(IReadOnlyList<double> milliseconds) =>
        $"{milliseconds.Order().ElementAt(milliseconds.Count / 2):0} ms (min {milliseconds.Min():0}, max {milliseconds.Max():0})";

    /// <summary>Process.Start to the response POST for an S3 event naming the 1,000-sample object, <paramref name="runs"/> times.</summary>
    private static async Task<List<double>> ColdStartAsync(string executable, string[] arguments, string lakeFolder, int runs)
    {
        var times = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            await using var server = new LambdaRuntimeApiServer();
            var invocation = server.Enqueue(S3Events.Of(S3Events.Record("ObjectCreated:Put", Bucket, Uri.EscapeDataString(SmallKey))), DateTimeOffset.UtcNow.AddMinutes(15));
            var start = new ProcessStartInfo(executable, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment[LambdaRuntimeClient.EndpointVariable] = server.Endpoint;
            start.Environment["Lake__Kind"] = "Folder";
            start.Environment["Lake__Folder"] = lakeFolder;
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var outcome = await server.OutcomeAsync(invocation.RequestId);
            var elapsed = clock.Elapsed.TotalMilliseconds;
            process.Kill();
            await process.WaitForExitAsync();
            var summary = outcome.IsError ? null : JsonSerializer.Deserialize(outcome.Body, PredictJsonContext.Default.PredictSummary);
            if (summary?.Records is not [{ Outcome: RecordOutcome.Predicted, Samples: 1_000 }])
            {
                throw new InvalidOperationException($"{executable} {string.Join(' ', arguments)} did not predict the object: {outcome.Body}");
            }
            times.Add(elapsed);
        }
        return times;
    }

    /// <summary>The ML.NET equivalent of the predict bootstrap: the same Runtime API loop and event handling, ML.NET scoring.</summary>
    public static async Task<int> MlNetBootstrapAsync(CancellationToken cancellationToken)
    {
        using var client = new LambdaRuntimeClient(Environment.GetEnvironmentVariable(LambdaRuntimeClient.EndpointVariable)!);
        var lake = new FolderObjectStore(Environment.GetEnvironmentVariable("Lake__Folder")!);
        var runtime = new LambdaRuntime(client, TimeProvider.System, NullLogger<LambdaRuntime>.Instance);
        return await runtime.RunAsync(_ => Task.FromResult<ILambdaHandler>(
            new RawSampleEventHandler(new MlNetRawObjectPredictor(lake), null, NullLogger<RawSampleEventHandler>.Instance)), cancellationToken);
    }
}
