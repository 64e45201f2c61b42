using System.CommandLine;
using Spectre.Console;
using WineFunctions.Explore;
using WineFunctions.Samples;

namespace WineFunctions.Cli;

/// <summary><c>wine dataset</c>: a labelled train/test set cut from the lake, written locally and optionally uploaded to start training.</summary>
public static class DatasetCommand
{
    public static Command Create()
    {
        var lake = new LakeOptions();
        var name = new Option<string>("--name") { Description = "Name of the data set (its folder, and training/{name}/ when uploaded).", Required = true };
        var minScores = CliOptions.Range("--min-scores", "Taster scores a batch needs to be labelled (median of them).", 3, 1, 100);
        var from = new Option<DateOnly?>("--from") { Description = "First UTC day samples were taken (yyyy-MM-dd)." };
        var to = new Option<DateOnly?>("--to") { Description = "Last UTC day samples were taken (yyyy-MM-dd)." };
        var colour = new Option<WineColour?>("--colour") { Description = "Only red or only white wine." };
        var warehouse = new Option<string?>("--warehouse") { Description = "Only this warehouse's samples." };
        var testFraction = new Option<double>("--test-fraction") { Description = "Share of each class held out for testing.", DefaultValueFactory = _ => 0.2 };
        var seed = new Option<int>("--seed") { Description = "Seed of the split.", DefaultValueFactory = _ => 2009 };
        var minPerClass = CliOptions.Range("--min-per-class", "Rows each of good, better and best needs, or the set is refused.", 10, 1, 1_000_000);
        var csv = new Option<bool>("--csv") { Description = "Also write train.csv and test.csv in the UCI form." };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Folder for the files (default .wine/datasets/{name})." };
        var upload = new Option<bool>("--upload") { Description = "Put the set under training/{name}/ in the lake: train.parquet arrives last and starts training." };
        var command = new Command("dataset", "Cut a labelled train/test data set from the lake: a batch's label is the median of its taster scores.")
        {
            name, minScores, from, to, colour, warehouse, testFraction, seed, minPerClass, csv, output, upload,
        };
        lake.AddTo(command);
        command.SetAction(async (parse, cancellationToken) => await CliErrors.RunAsync(async () =>
        {
            var options = new DatasetOptions
            {
                Name = parse.GetValue(name)!,
                MinTasterScores = parse.GetValue(minScores),
                From = parse.GetValue(from),
                To = parse.GetValue(to),
                Colour = parse.GetValue(colour),
                WarehouseId = parse.GetValue(warehouse),
                TestFraction = parse.GetValue(testFraction),
                Seed = parse.GetValue(seed),
                MinPerClass = parse.GetValue(minPerClass),
                WriteCsv = parse.GetValue(csv),
            };
            if (options.Problems() is { Count: > 0 } problems)
            {
                throw new CliUsageException(string.Join("; ", problems));
            }
            var folder = parse.GetValue(output)?.FullName ?? Path.GetFullPath(Path.Combine(".wine", "datasets", options.Name));
            var store = lake.Settings(parse).Open();
            try
            {
                await using var session = await LakeProgress.OpenAsync(store, lake.CacheFolder(parse), cancellationToken);
                var built = await StepsAsync("cutting the data set", progress =>
                    new DatasetBuilder(TimeProvider.System).BuildAsync(session, options, folder, progress, cancellationToken));
                AnsiConsole.Write(Summary(built));
                if (parse.GetValue(upload))
                {
                    var keys = await StepsAsync("uploading", progress => DatasetBuilder.UploadAsync(store, built, progress, cancellationToken));
                    AnsiConsole.MarkupLineInterpolated($"[green]uploaded[/] to {store.Location}: {string.Join(", ", keys)} (train.parquet last: training starts on its arrival)");
                }
                return 0;
            }
            finally
            {
                (store as IDisposable)?.Dispose();
            }
        }, cancellationToken));
        return command;
    }

    /// <summary>Shows the current step while <paramref name="work"/> runs (on a terminal), or each step as a line.</summary>
    internal static async Task<T> StepsAsync<T>(string title, Func<IProgress<string>, Task<T>> work)
    {
        if (!ProgressView.Interactive)
        {
            return await work(new Progress<string>(step => Console.Error.WriteLine(step)));
        }
        return await AnsiConsole.Status().StartAsync(title, async context =>
            await work(new Progress<string>(step => context.Status(Markup.Escape(step)))));
    }

    private static Table Summary(BuiltDataset built)
    {
        var m = built.Manifest;
        var table = new Table().Title($"data set {m.Name} · {m.Batches} batches · {built.Folder}").AddColumn("").AddColumn("good").AddColumn("better").AddColumn("best");
        foreach (var (side, counts) in m.Rows)
        {
            table.AddRow(side, $"{counts["good"]:N0}", $"{counts["better"]:N0}", $"{counts["best"]:N0}");
        }
        table.Caption = new TableTitle($"{m.Split.DuplicateRows} rows in {m.Split.DuplicateGroups} duplicate groups kept on one side; {m.Sources.Count} source objects; files: {string.Join(", ", m.Files.Select(f => f.Name))}, manifest.json");
        return table;
    }
}
