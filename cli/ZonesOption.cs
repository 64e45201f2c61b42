using System.CommandLine;
using Spectre.Console;
using WineFunctions.Lake;
using WineFunctions.Stack;
using WineFunctions.Zones;

namespace WineFunctions.Cli;

/// <summary><c>wine up --zones</c>: puts the stack's functions and lake in different trust zones, and reports the crossings after the run.</summary>
internal static class ZonesOption
{
    public static Option<string?> Create()
    {
        var option = new Option<string?>("--zones")
        {
            Description = $"Put functions and the lake in different trust zones so crossings are audited, e.g. sink=edge,lake=core (places: {string.Join(", ", StackZones.Places)}; default: all in zone local).",
        };
        option.Validators.Add(r =>
        {
            try
            {
                StackZones.Parse(r.GetValueOrDefault<string?>() ?? "");
            }
            catch (FormatException e)
            {
                r.AddError(e.Message);
            }
        });
        return option;
    }

    public static StackZones Value(ParseResult parse, Option<string?> option) =>
        parse.GetValue(option) is { } text ? StackZones.Parse(text) : StackZones.Shared;

    public static async Task ReportAsync(LocalStackOptions options, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        if (!options.Zones.Split)
        {
            return;
        }
        var count = 0;
        await foreach (var _ in ZoneAudit.CrossingsAsync(new FolderObjectStore(options.LakeDirectory), startedAt, TimeProvider.System.GetUtcNow().AddSeconds(1), cancellationToken))
        {
            count++;
        }
        var zones = string.Join(", ", StackZones.Places.Select(p => $"{p} in {options.Zones.Of(p)}"));
        AnsiConsole.MarkupLineInterpolated($"Zones: {zones}; {count} zone crossings recorded under audit/ (wine audit --from {startedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}).");
    }
}
