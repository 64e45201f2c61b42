using System.CommandLine;
using Spectre.Console;
using WineFunctions.Lake;
using WineFunctions.Zones;

namespace WineFunctions.Cli;

/// <summary><c>wine audit</c>: the trust-zone crossings recorded in a lake for a time range.</summary>
public static class AuditCommand
{
    public static Command Create()
    {
        var from = new Option<DateTimeOffset?>("--from") { Description = "Start of the range (ISO 8601, e.g. 2026-11-26T00:00Z); default: 24 hours before --to." };
        var to = new Option<DateTimeOffset?>("--to") { Description = "End of the range, exclusive; default: now." };
        var lake = new Option<DirectoryInfo>("--lake") { Description = "Folder of the data lake.", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine(".wine", "lake")) };
        var command = new Command("audit", "List the lake objects that crossed from one trust zone to another in a time range.") { from, to, lake };
        command.Validators.Add(r =>
        {
            if (r.GetValue(from) is { } start && r.GetValue(to) is { } end && start >= end)
            {
                r.AddError("--from must be before --to.");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var end = parse.GetValue(to) ?? TimeProvider.System.GetUtcNow();
            var start = parse.GetValue(from) ?? end.AddDays(-1);
            var folder = parse.GetValue(lake)!;
            return await CliErrors.RunAsync(async () =>
            {
                if (!folder.Exists)
                {
                    throw new DirectoryNotFoundException($"no lake at {folder.FullName} (--lake)");
                }
                var table = new Table().AddColumns("time (UTC)", "function", "direction", "from zone", "to zone", "classification", "object");
                var count = 0;
                await foreach (var crossing in ZoneAudit.CrossingsAsync(new FolderObjectStore(folder.FullName), start, end, cancellationToken))
                {
                    count++;
                    table.AddRow(Markup.Escape(crossing.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture)),
                        Markup.Escape(crossing.Function), crossing.Direction.ToString().ToLowerInvariant(), Markup.Escape(crossing.FromZone),
                        Markup.Escape(crossing.ToZone), Markup.Escape(crossing.Classification), Markup.Escape(crossing.Object));
                }
                if (count > 0)
                {
                    AnsiConsole.Write(table);
                }
                AnsiConsole.MarkupLineInterpolated($"{count} zone crossings from {start.UtcDateTime:u} to {end.UtcDateTime:u} in {folder.FullName}.");
                return 0;
            }, cancellationToken);
        });
        return command;
    }
}
