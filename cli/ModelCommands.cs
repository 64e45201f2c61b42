using System.CommandLine;
using Spectre.Console;
using WineFunctions.Registry;

namespace WineFunctions.Cli;

/// <summary><c>wine models</c>, <c>wine promote</c> and <c>wine rollback</c>: the registry, by hand.</summary>
public static class ModelCommands
{
    public static Command Models()
    {
        var lake = new LakeOptions();
        var command = new Command("models", "List the model versions in the registry, their metrics and the champion, and the promotion history.");
        lake.AddTo(command, cache: false);
        command.SetAction(async (parse, cancellationToken) => await CliErrors.RunAsync(async () =>
        {
            var registry = new ModelRegistry(lake.Settings(parse).Open());
            var champion = await registry.GetChampionAsync(cancellationToken);
            var table = new Table().AddColumns("version", "trained", "data set", "rows", "held-out macro", "micro", "log-loss", "cv macro", "baseline", "ML.NET defaults", "");
            foreach (var card in await registry.ListAsync(cancellationToken))
            {
                var m = card.Metrics;
                table.AddRow($"v{card.Version}", $"{card.TrainedAt:yyyy-MM-dd HH:mm}", Markup.Escape(card.DataSet.Key), $"{card.DataSet.Rows:N0}",
                    $"{m.MacroAccuracy:0.000}", $"{m.MicroAccuracy:0.000}", $"{m.LogLoss:0.000}", $"{m.CrossValidatedMacroAccuracy:0.000}",
                    $"{m.BaselineMacroAccuracy:0.000}", $"{m.DefaultsMacroAccuracy:0.000}", card.Version == champion?.Version ? "[green]champion[/]" : "");
            }
            AnsiConsole.Write(table);
            var history = new Table().Title("promotions").AddColumns("#", "when", "outcome", "candidate", "champion after", "by", "why");
            foreach (var p in await registry.HistoryAsync(cancellationToken))
            {
                history.AddRow($"{p.Sequence}", $"{p.At:yyyy-MM-dd HH:mm}", p.Outcome.ToString(), $"v{p.Candidate}",
                    p.Champion is { } c ? $"v{c}" : "-", Markup.Escape(p.By), Markup.Escape(p.Reason));
            }
            AnsiConsole.Write(history);
            return 0;
        }, cancellationToken));
        return command;
    }

    public static Command Promote()
    {
        var lake = new LakeOptions();
        var version = new Argument<int>("version") { Description = "The model version to make the champion." };
        var reason = Reason();
        var command = new Command("promote", "Make a model version the champion, recording who and why.") { version, reason };
        lake.AddTo(command, cache: false);
        command.SetAction(async (parse, cancellationToken) => await CliErrors.RunAsync(async () =>
        {
            var registry = new ModelRegistry(lake.Settings(parse).Open());
            var promotion = await registry.RecordAsync(PromotionOutcome.Promoted, parse.GetValue(version), By, parse.GetValue(reason)!, TimeProvider.System.GetUtcNow(), cancellationToken);
            AnsiConsole.MarkupLineInterpolated($"[green]v{promotion.Candidate} is the champion[/] (was {(promotion.PreviousChampion is { } p ? $"v{p}" : "none")}); promotion #{promotion.Sequence}");
            return 0;
        }, cancellationToken));
        return command;
    }

    public static Command Rollback()
    {
        var lake = new LakeOptions();
        var version = new Argument<int?>("version") { Description = "The version to return to (default: the champion before the current one).", Arity = ArgumentArity.ZeroOrOne };
        var reason = Reason();
        var command = new Command("rollback", "Make an earlier model version the champion again.") { version, reason };
        lake.AddTo(command, cache: false);
        command.SetAction(async (parse, cancellationToken) => await CliErrors.RunAsync(async () =>
        {
            var registry = new ModelRegistry(lake.Settings(parse).Open());
            var promotion = await registry.RollbackAsync(parse.GetValue(version), By, parse.GetValue(reason)!, TimeProvider.System.GetUtcNow(), cancellationToken);
            AnsiConsole.MarkupLineInterpolated($"[green]rolled back to v{promotion.Candidate}[/] (was v{promotion.PreviousChampion}); promotion #{promotion.Sequence}");
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Option<string> Reason() => new("--reason") { Description = "Why, for the promotion history.", Required = true };

    private static string By => $"{Environment.UserName} (wine CLI)";
}
