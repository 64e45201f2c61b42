using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using WineFunctions.Data;
using WineFunctions.Lake;
using WineFunctions.Prediction;
using WineFunctions.Registry;
using WineFunctions.Samples;
using WineFunctions.Tests.Infrastructure;
using WineFunctions.Training;
using WineFunctions.Models;
using static WineFunctions.Tests.Stack.WineUpTests;

namespace WineFunctions.Tests.Predict;

/// <summary>A folder lake with a champion (v1, trained on simulated rows) and a refused small model (v2).</summary>
public sealed class PredictLakeFixture : IAsyncLifetime
{
    public DirectoryInfo Folder { get; } = Directory.CreateTempSubdirectory("wine-predict-cli-");

    public string Lake => Path.Combine(Folder.FullName, "lake");

    public async Task InitializeAsync()
    {
        var lake = new FolderObjectStore(Lake);
        foreach (var (name, settings) in new[] { ("first", TrainerSettings.Tuned), ("small", TrainerSettings.Tuned with { Leaves = 2, Iterations = 3 }) })
        {
            await lake.PutAsync($"training/{name}.csv", TrainingData.Csv(TrainingData.Simulated(1200, seed: 21)), new Dictionary<string, string>(), CancellationToken.None);
            await new TrainingService(lake, TimeProvider.System, NullLogger<TrainingService>.Instance, settings).TrainUploadAsync($"training/{name}.csv", "test", null, CancellationToken.None);
        }
        Assert.Equal(1, (await new ModelRegistry(lake).GetChampionAsync(CancellationToken.None))?.Version);
    }

    /// <summary>Class probabilities straight from the registered ML.NET model (not the ONNX export the CLI scores with), and the card's cut points.</summary>
    public async Task<(IReadOnlyList<float[]> Probabilities, DecisionRule? Decision)> MlNetAsync(int version, IReadOnlyList<LabelledMeasurements> rows)
    {
        var registry = new ModelRegistry(new FolderObjectStore(Lake));
        var trainer = new WineModelTrainer();
        var card = (await registry.GetCardAsync(version, CancellationToken.None))!;
        var model = trainer.LoadModel(await registry.ReadArtifactAsync(card.ModelKey, CancellationToken.None));
        return (trainer.PredictClasses(model, rows), card.Decision);
    }

    public Task DisposeAsync()
    {
        Folder.Delete(recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary><c>wine predict</c> as a user runs it, on a lake with a trained champion.</summary>
public sealed class WinePredictCommandTests(PredictLakeFixture fixture) : IClassFixture<PredictLakeFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;

    private string Work => fixture.Folder.FullName;

    private async Task<string> WriteAsync(string name, string text)
    {
        await File.WriteAllTextAsync(Path.Combine(Work, name), text);
        return name;
    }

    private async Task<IReadOnlyList<SamplePrediction>> ReadPredictionsAsync(string name) =>
        await PredictionParquet.ReadAsync(await File.ReadAllBytesAsync(Path.Combine(Work, name)), None);

    /// <summary>The CLI's classes follow the card's cut points, not the most probable class.</summary>
    private static void AssertMatches((IReadOnlyList<float[]> Probabilities, DecisionRule? Decision) model, IReadOnlyList<SamplePrediction> predicted)
    {
        var expected = model.Probabilities;
        Assert.NotNull(model.Decision);
        Assert.Equal(expected.Count, predicted.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(QualityClasses.All[model.Decision.Decide(expected[i])].Name(), predicted[i].PredictedClass);
            Assert.Equal(expected[i][0], predicted[i].ProbabilityGood!.Value, 1e-5);
            Assert.Equal(expected[i][1], predicted[i].ProbabilityBetter!.Value, 1e-5);
            Assert.Equal(expected[i][2], predicted[i].ProbabilityBest!.Value, 1e-5);
        }
    }

    [Fact]
    public async Task A_labelled_UCI_file_gets_the_champions_classes_reasons_for_bad_rows_and_the_accuracy_against_its_labels()
    {
        var rows = TrainingData.Simulated(150, seed: 8).ToList();
        rows[5] = rows[5] with { Values = [.. rows[5].Values.Select((v, i) => i == 8 ? 9.5 : v)] }; // pH 9.5: impossible
        var lines = UciWineQuality.Write(rows).Split('\n');
        lines[11] = "x" + lines[11][lines[11].IndexOf(';')..]; // row 10's fixed acidity unreadable
        var file = await WriteAsync("labelled.csv", string.Join('\n', lines));

        var (exitCode, output) = await RunWineAsync(Work, "predict", file, "--lake", fixture.Lake, "--output", "labelled-out.parquet");
        Assert.True(exitCode == 0, output);
        var predictions = await ReadPredictionsAsync("labelled-out.parquet");

        Assert.Equal(Enumerable.Range(2, 150).Select(line => $"line-{line}"), predictions.Select(p => p.SampleId));
        Assert.All(predictions, p => Assert.Equal(1, p.ModelVersion));
        Assert.Null(predictions[5].PredictedClass);
        Assert.Contains("pH: 9.5 pH is outside the possible range", predictions[5].Rejection);
        Assert.Null(predictions[10].PredictedClass);
        Assert.Equal("fixedAcidity: 'x' is not a number", predictions[10].Rejection);
        var valid = Enumerable.Range(0, rows.Count).Where(i => i is not 5 and not 10).ToList();
        AssertMatches(await fixture.MlNetAsync(1, [.. valid.Select(i => rows[i])]), [.. valid.Select(i => predictions[i])]);

        // Printed: the table, the class counts and the accuracy over the 148 labelled rows that got a class.
        (exitCode, output) = await RunWineAsync(Work, "predict", file, "--lake", fixture.Lake, "--rows", "200");
        Assert.True(exitCode == 0, output);
        var right = valid.Count(i => predictions[i].PredictedClass == rows[i].Class.Name());
        Assert.Contains($"against the quality labels (148 labelled rows with a class): accuracy {((double)right / valid.Count).ToString("0.000", CultureInfo.InvariantCulture)}", output);
        Assert.Contains($"model version 1: 150 samples, good {predictions.Count(p => p.PredictedClass == "good")}", output);
        Assert.Contains("rejected 2", output);
        Assert.Contains("line-151", output);

        // As CSV: the same columns, rejection reasons quoted, the labels kept.
        (exitCode, output) = await RunWineAsync(Work, "predict", file, "--lake", fixture.Lake, "--output", "labelled-out.csv");
        Assert.True(exitCode == 0, output);
        var csv = await File.ReadAllLinesAsync(Path.Combine(Work, "labelled-out.csv"));
        Assert.Equal("sampleId,batchId,predictedClass,probabilityGood,probabilityBetter,probabilityBest,modelVersion,rejection,quality", csv[0]);
        Assert.Equal(151, csv.Length);
        Assert.StartsWith("line-7,unknown,,,,,1,\"pH: 9.5 pH is outside the possible range [2, 5]\"", csv[6]);
        Assert.StartsWith($"line-2,unknown,{predictions[0].PredictedClass},{predictions[0].ProbabilityGood!.Value.ToString("R", CultureInfo.InvariantCulture)},", csv[1]);
    }

    [Fact]
    public async Task A_raw_sample_Parquet_object_is_predicted_with_the_model_version_asked_for()
    {
        var rows = TrainingData.Simulated(40, seed: 9);
        var samples = rows.Select((r, i) => WineSample.Create($"s-{i}", $"batch-{i % 3}", "wh-01", "wh-01-dev-1",
            new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero), r.Colour, r.Values)).ToList();
        await File.WriteAllBytesAsync(Path.Combine(Work, "raw.parquet"), await SampleParquet.WriteAsync(samples, new Dictionary<string, string>(), None));

        var (exitCode, output) = await RunWineAsync(Work, "predict", "raw.parquet", "--lake", fixture.Lake, "--model-version", "2", "--output", "raw-out.parquet");
        Assert.True(exitCode == 0, output);
        var predictions = await ReadPredictionsAsync("raw-out.parquet");
        Assert.Equal(samples.Select(s => (s.SampleId, s.BatchId, 2)), predictions.Select(p => (p.SampleId, p.BatchId, p.ModelVersion)));
        AssertMatches(await fixture.MlNetAsync(2, rows), predictions);

        (exitCode, output) = await RunWineAsync(Work, "predict", "raw.parquet", "--lake", fixture.Lake, "--rows", "5");
        Assert.True(exitCode == 0, output);
        Assert.Contains("model version 1: 40 samples", output);
        Assert.Contains("first 5 of 40 rows", output);
        Assert.DoesNotContain("against the quality labels", output);
    }

    [Fact]
    public async Task A_file_without_a_colour_column_takes_the_colour_from_its_name_or_the_option_and_a_sample_CSV_keeps_its_ids()
    {
        var rows = TrainingData.Simulated(30, seed: 10).Select(r => r with { Colour = WineColour.White }).ToList();
        // The published UCI form: no colour column.
        var published = string.Join('\n', UciWineQuality.Write(rows).Split('\n').Select(line => line.Length == 0 ? line : line[..line.LastIndexOf(';')]));
        await WriteAsync("winequality-white.csv", published);
        await WriteAsync("cellar.csv", published);
        var expected = await fixture.MlNetAsync(1, rows);

        var (exitCode, output) = await RunWineAsync(Work, "predict", "winequality-white.csv", "--lake", fixture.Lake, "--output", "white-out.parquet");
        Assert.True(exitCode == 0, output);
        AssertMatches(expected, await ReadPredictionsAsync("white-out.parquet"));

        (exitCode, output) = await RunWineAsync(Work, "predict", "cellar.csv", "--lake", fixture.Lake);
        Assert.Equal(1, exitCode);
        Assert.Contains("cellar.csv: no colour column", output);
        (exitCode, output) = await RunWineAsync(Work, "predict", "cellar.csv", "--lake", fixture.Lake, "--colour", "white", "--output", "cellar-out.parquet");
        Assert.True(exitCode == 0, output);
        AssertMatches(expected, await ReadPredictionsAsync("cellar-out.parquet"));

        // Samples with the contract's field names, comma-separated.
        var samples = "sampleId,batchId,wine," + string.Join(',', Measurement.All.Select(m => m.Field)) + "\n"
            + string.Join('\n', rows.Select((r, i) => $"cask-{i},batch-7,white," + string.Join(',', r.Values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))));
        await WriteAsync("samples.csv", samples);
        (exitCode, output) = await RunWineAsync(Work, "predict", "samples.csv", "--lake", fixture.Lake, "--output", "samples-out.parquet");
        Assert.True(exitCode == 0, output);
        var predictions = await ReadPredictionsAsync("samples-out.parquet");
        Assert.Equal(rows.Select((_, i) => $"cask-{i}"), predictions.Select(p => p.SampleId));
        AssertMatches(expected, predictions);
    }

    [Fact]
    public async Task A_lake_without_a_champion_an_unknown_version_and_unreadable_files_are_clear_errors()
    {
        var csv = await WriteAsync("few.csv", UciWineQuality.Write(TrainingData.Simulated(3, seed: 11)));
        await WriteAsync("broken.parquet", "not parquet");
        await WriteAsync("short.csv", "\"fixed acidity\";\"pH\";\"colour\"\n7.4;3.5;red\n");
        var empty = Directory.CreateDirectory(Path.Combine(Work, "empty-lake")).FullName;

        foreach (var (args, message) in new[]
                 {
                     (new[] { csv, "--lake", empty }, "no model has been promoted"),
                     ([csv, "--lake", fixture.Lake, "--model-version", "9"], "there is no model version 9"),
                     (["broken.parquet", "--lake", fixture.Lake], "broken.parquet is not a readable sample Parquet file"),
                     (["short.csv", "--lake", fixture.Lake], "short.csv: the header lacks 'volatile acidity'"),
                     ([csv, "--lake", fixture.Lake, "--output", "out.json"], "the name must end in .csv or .parquet"),
                 })
        {
            var (exitCode, output) = await RunWineAsync(Work, ["predict", .. args]);
            Assert.True(exitCode == 1, output);
            Assert.Contains(message, output);
        }
    }
}
