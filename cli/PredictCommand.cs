using System.CommandLine;
using Spectre.Console;
using WineFunctions.Prediction;
using WineFunctions.Registry;
using WineFunctions.Samples;

namespace WineFunctions.Cli;

/// <summary><c>wine predict FILE</c>: batch prediction of a file of samples with the lake's champion or a chosen model version.</summary>
public static class PredictCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "Samples: a UCI CSV (with or without colour and quality columns), a CSV with the sample contract's field names, or Parquet in the raw or labelled sample schema." };
        var version = new Option<int?>("--model-version") { Description = "Predict with this model version (default: the champion)." };
        var output = new Option<FileInfo?>("--output") { Description = "Write every prediction to this .csv or .parquet file instead of printing a table." };
        var colour = new Option<WineColour?>("--colour") { Description = "The colour of every wine in a CSV without a colour column (default: red or white from the file name)." };
        var rows = new Option<int>("--rows") { Description = "Rows of the table printed without --output.", DefaultValueFactory = _ => 50 };
        var lake = new LakeOptions();
        var command = new Command("predict", "Predict the class of every sample in a file, as the predict function does, and compare with the file's quality labels if any.")
        {
            file, version, output, colour, rows,
        };
        lake.AddTo(command, cache: false);
        command.SetAction(async (parse, cancellationToken) => await CliErrors.RunAsync(async () =>
        {
            var input = parse.GetValue(file)!;
            if (!input.Exists)
            {
                throw new CliUsageException($"{input.FullName}: no such file");
            }
            var settings = lake.Settings(parse);
            var samples = await SampleFile.ReadAsync(input.Name, await File.ReadAllBytesAsync(input.FullName, cancellationToken), parse.GetValue(colour),
                TimeProvider.System.GetUtcNow(), cancellationToken);
            var store = settings.Open();
            var classifier = await BatchPrediction.LoadModelAsync(new ModelRegistry(store), parse.GetValue(version), store.Location, cancellationToken);
            var batch = BatchPrediction.Predict(classifier, samples);

            if (parse.GetValue(output) is { } target)
            {
                await File.WriteAllBytesAsync(target.FullName, await BatchPrediction.WriteAsync(target.Name, batch, cancellationToken), cancellationToken);
                AnsiConsole.MarkupLineInterpolated($"[green]wrote[/] {batch.Predictions.Count:N0} predictions to {target.FullName}");
            }
            else
            {
                AnsiConsole.Write(Table(batch, parse.GetValue(rows)));
            }
            Summarise(batch);
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Table Table(BatchPredictions batch, int rows)
    {
        var labelled = batch.Quality.Any(q => q is not null);
        var table = new Table().AddColumns("sample", "batch", "class", "good", "better", "best");
        if (labelled)
        {
            table.AddColumn("label");
        }
        table.AddColumn("rejection");
        for (var i = 0; i < Math.Min(rows, batch.Predictions.Count); i++)
        {
            var p = batch.Predictions[i];
            var cells = new List<string>
            {
                Markup.Escape(p.SampleId), Markup.Escape(p.BatchId), p.PredictedClass ?? "[red]rejected[/]",
                $"{p.ProbabilityGood:0.000}", $"{p.ProbabilityBetter:0.000}", $"{p.ProbabilityBest:0.000}",
            };
            if (labelled)
            {
                cells.Add(batch.Quality[i] is { } q ? $"{QualityClasses.FromScore(q).Name()} ({q})" : "");
            }
            cells.Add(Markup.Escape(p.Rejection ?? ""));
            table.AddRow([.. cells]);
        }
        if (batch.Predictions.Count > rows)
        {
            table.Caption($"first {rows:N0} of {batch.Predictions.Count:N0} rows; --output writes them all");
        }
        return table;
    }

    private static void Summarise(BatchPredictions batch)
    {
        int Count(string? predicted) => batch.Predictions.Count(p => p.PredictedClass == predicted);
        AnsiConsole.MarkupLineInterpolated(
            $"model version {batch.ModelVersion}: {batch.Predictions.Count:N0} samples, good {Count("good"):N0}, better {Count("better"):N0}, best {Count("best"):N0}, rejected {Count(null):N0}");
        if (batch.AgainstLabels is { } metrics)
        {
            AnsiConsole.MarkupLineInterpolated(
                $"against the quality labels ({metrics.Rows:N0} labelled rows with a class): accuracy {metrics.MicroAccuracy:0.000}, macro accuracy {metrics.MacroAccuracy:0.000}");
        }
    }
}
