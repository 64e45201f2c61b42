using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using WineFunctions.Lake;
using WineFunctions.Ratings;

namespace WineFunctions.Cli;

/// <summary><c>wine ratings rebuild</c>: the ratings API's database from the lake, after losing it or for a new one.</summary>
public static class RatingsCommand
{
    public static Command Create()
    {
        var lake = new Option<DirectoryInfo?>("--lake") { Description = "A folder lake; without it the lake comes from the Lake__* environment settings, as the Functions app reads them (S3, Blob)." };
        var database = new Option<string?>("--database") { Description = "The database's connection string (default: Ratings__Database__ConnectionString, else Data Source=.wine/lake-ratings.db)." };
        var provider = new Option<DatabaseProvider?>("--provider") { Description = "Sqlite or Postgres (default: Ratings__Database__Provider, else Sqlite)." };
        var verbose = new Option<bool>("--verbose") { Description = "Log what the rebuild does." };
        var rebuild = new Command("rebuild", "Rebuild the ratings API's database from the lake: batches from the raw samples and predictions, then every revision of every rating and taster score, each person's standing one winning. Safe to repeat.")
        {
            lake, database, provider, verbose,
        };
        rebuild.SetAction(async (parse, cancellationToken) =>
        {
            using var loggers = CliLogging.Create(parse.GetValue(verbose));
            return await CliErrors.RunAsync(async () =>
            {
                // The same settings names as the Functions app (Lake:*, Ratings:Database:*), from the environment.
                var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
                var lakeSettings = parse.GetValue(lake) is { } folder
                    ? new LakeSettings { Kind = LakeKind.Folder, Folder = folder.FullName }
                    : LakeConfiguration.Read(configuration);
                var configured = configuration.GetSection("Ratings:Database").Get<RatingsDatabase>();
                var defaultFile = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(lakeSettings.Folder).TrimEnd(Path.DirectorySeparatorChar))!,
                    Path.GetFileName(Path.GetFullPath(lakeSettings.Folder).TrimEnd(Path.DirectorySeparatorChar)) + "-ratings.db");
                var settings = new RatingsDatabase
                {
                    Provider = parse.GetValue(provider) ?? configured?.Provider ?? DatabaseProvider.Sqlite,
                    ConnectionString = parse.GetValue(database) ?? configured?.ConnectionString ?? "Data Source=" + defaultFile,
                };
                if (lakeSettings.Problems().Concat(settings.Problems()).ToList() is { Count: > 0 } problems)
                {
                    AnsiConsole.MarkupLineInterpolated($"[red]settings[/]: {string.Join("; ", problems)}");
                    return 2;
                }
                var store = lakeSettings.Open();
                await using var ratings = settings.Open(TimeProvider.System);
                using var metrics = new RatingsMetrics();
                var indexer = new BatchIndexer(store, ratings, loggers.CreateLogger<BatchIndexer>(), metrics);
                var report = await new RatingsRebuild(store, ratings, indexer, loggers.CreateLogger<RatingsRebuild>()).RunAsync(cancellationToken);
                var (totalRatings, totalScores, batches) = await ratings.CountsAsync(cancellationToken);
                AnsiConsole.MarkupLineInterpolated(
                    $"Rebuilt from {store.Location}: {report.ObjectsIndexed} sample/prediction objects indexed, {report.RatingRevisionsApplied} rating and {report.ScoreRevisionsApplied} taster score revisions applied ({report.Unreadable} unreadable). The database now holds {batches} batches, {totalRatings} standing ratings, {totalScores} standing scores (one per person and batch).");
                return 0;
            }, cancellationToken);
        });
        return new Command("ratings", "The ratings API's database.") { rebuild };
    }
}
