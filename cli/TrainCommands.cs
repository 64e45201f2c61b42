using System.CommandLine;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using WineFunctions.Data;
using WineFunctions.Hosting;
using WineFunctions.Lake;
using WineFunctions.Samples;
using WineFunctions.Training;
using WineFunctions.Registry;

namespace WineFunctions.Cli;

/// <summary><c>wine upload</c> puts a data set where training picks it up; <c>wine train</c> trains on an upload here and now.</summary>
public static class TrainCommands
{
    public static Command Upload()
    {
        var files = new Argument<FileInfo[]>("files") { Description = "UCI CSV or Parquet files; several CSVs are combined into one data set with a colour column.", Arity = ArgumentArity.OneOrMore };
        var name = new Option<string?>("--name") { Description = "Name of the data set in the lake (default: from the file name)." };
        var lake = new LakeOptions();
        var command = new Command("upload", "Upload a labelled data set into the lake's training prefix, which starts training.") { files, name };
        lake.AddTo(command, cache: false);
        command.SetAction(async (parse, cancellationToken) => await CliErrors.RunAsync(async () =>
        {
            var (key, content) = DataSet(parse.GetValue(files)!, parse.GetValue(name));
            await lake.Settings(parse, mustExist: false).Open().PutAsync(key, content, new Dictionary<string, string>(), cancellationToken);
            AnsiConsole.MarkupLineInterpolated($"[green]uploaded[/] {key} ({content.Length:N0} bytes); training starts where a train-trigger or wine up watches this lake, or run: wine train {key}");
            return 0;
        }, cancellationToken));
        return command;
    }

    public static Command Train()
    {
        var key = new Argument<string?>("upload") { Description = "The key of a data set under training/ in the lake.", Arity = ArgumentArity.ZeroOrOne };
        var worker = new Option<bool>("--worker") { Description = "Run as a training worker: train the job requests a train-trigger with Training:Target=Worker leaves in the lake, until Ctrl-C." };
        var lake = new LakeOptions();
        var command = new Command("train", "Train, evaluate and gate a model on an uploaded data set, as the train-trigger function does.") { key, worker };
        lake.AddTo(command, cache: false);
        command.Validators.Add(result =>
        {
            if (result.GetValue(worker) == (result.GetValue(key) is not null))
            {
                result.AddError("give either an upload's key or --worker");
            }
        });
        command.SetAction(async (parse, cancellationToken) => await CliErrors.RunAsync(async () =>
        {
            var store = lake.Settings(parse).Open();
            // Warnings and errors on stderr, e.g. a job request the worker set aside as unreadable.
            using var loggers = CliLogging.Create(verbose: false);
            await using var services = ProcessServices.Build(TimeProvider.System, loggers, s => s.AddSingleton(store).AddTraining());
            var service = services.GetRequiredService<TrainingService>();
            if (parse.GetValue(worker))
            {
                var name = $"{Environment.MachineName}/{Environment.ProcessId}";
                AnsiConsole.MarkupLineInterpolated($"training worker {name} waits for job requests in {store.Location} (Ctrl-C stops)");
                await services.GetRequiredService<TrainingJobs>().RunAsync(name, TimeSpan.FromSeconds(2), Show, cancellationToken);
                return 0;
            }
            TrainingRecord? record = null;
            await AnsiConsole.Status().StartAsync("training…", async status =>
                record = await service.TrainUploadAsync(parse.GetValue(key)!, $"{Environment.UserName} (wine train)",
                    new Progress<string>(step => status.Status(Markup.Escape(step))), cancellationToken));
            if (record is null)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]error[/]: there is no object {parse.GetValue(key)} in the lake");
                return CliErrors.Failed;
            }
            Show(record);
            return record.Outcome == TrainingOutcome.Rejected ? CliErrors.Failed : 0;
        }, cancellationToken));
        return command;
    }

    private static void Show(TrainingRecord record) => AnsiConsole.MarkupLineInterpolated(record.Outcome switch
    {
        TrainingOutcome.Rejected => $"[red]{record.Upload} rejected[/]: {string.Join("; ", record.Reasons)}",
        var outcome => $"[green]{record.Upload}: v{record.Version} {outcome.ToString().ToLowerInvariant()}[/]: {record.Reasons[0]}",
    });

    /// <summary>One file goes up as it is; several UCI CSVs become one, with the colour each file's name gives.</summary>
    private static (string Key, byte[] Content) DataSet(FileInfo[] files, string? name)
    {
        foreach (var file in files.Where(f => !f.Exists))
        {
            throw new FileNotFoundException($"{file.FullName} does not exist");
        }
        if (files.Length == 1)
        {
            return ($"{LakeLayout.TrainingSets}{name ?? Path.GetFileNameWithoutExtension(files[0].Name)}{files[0].Extension.ToLowerInvariant()}", File.ReadAllBytes(files[0].FullName));
        }
        var rows = files.SelectMany(f => UciWineQuality.Read(f.FullName, UciWineQuality.ColourFromFileName(f.Name)
            ?? throw new FormatException($"{f.Name}: combining files needs 'red' or 'white' in each file name"))).ToList();
        return ($"{LakeLayout.TrainingSets}{name ?? "combined"}.csv", Encoding.UTF8.GetBytes(UciWineQuality.Write(rows)));
    }
}
