using System.CommandLine;
using Spectre.Console;
using WineFunctions.Explore;
using WineFunctions.Explore.Report;

namespace WineFunctions.Cli;

/// <summary><c>wine report</c>: one self-contained HTML file of charts about the lake or a data file.</summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var lake = new LakeOptions();
        var data = new Option<FileSystemInfo?>("--data")
        {
            Description = "Report on a data file instead of the lake: UCI CSV (or the folder with both UCI files), or Parquet in the sample schema.",
        };
        var output = new Option<FileInfo>("--out") { Description = "The HTML file to write.", DefaultValueFactory = _ => new FileInfo(Path.Combine(".wine", "report.html")) };
        var command = new Command("report", "Write an HTML report with charts: counts, class balance, distributions, correlations, duplicates, predictions vs tasters, the champion.")
        {
            data, output,
        };
        lake.AddTo(command);
        command.SetAction(async (parse, cancellationToken) => await CliErrors.RunAsync(async () =>
        {
            var file = parse.GetValue(output)!.FullName;
            WineReport report;
            if (parse.GetValue(data) is { } dataFile)
            {
                await using var session = await ExploreSession.OpenDataFileAsync(dataFile.FullName, cancellationToken);
                report = await DatasetCommand.StepsAsync("reporting", progress => new ReportBuilder(TimeProvider.System).BuildAsync(session, null, progress, cancellationToken));
            }
            else
            {
                var store = lake.Settings(parse).Open();
                try
                {
                    await using var session = await LakeProgress.OpenAsync(store, lake.CacheFolder(parse), cancellationToken);
                    report = await DatasetCommand.StepsAsync("reporting", progress => new ReportBuilder(TimeProvider.System).BuildAsync(session, store, progress, cancellationToken));
                }
                finally
                {
                    (store as IDisposable)?.Dispose();
                }
            }
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllTextAsync(file, ReportHtml.Render(report), cancellationToken);
            var charts = report.Sections.Sum(s => s.Charts.Count);
            AnsiConsole.MarkupLineInterpolated($"[green]wrote[/] {file}: {report.Rows:N0} samples, {charts} charts, {report.Sections.Sum(s => s.Notes.Count)} notes");
            return 0;
        }, cancellationToken));
        return command;
    }
}
