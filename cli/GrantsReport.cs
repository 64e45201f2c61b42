using Spectre.Console;
using WineFunctions.Zones;

namespace WineFunctions.Cli;

/// <summary>What <c>wine up --enforce-grants</c> found: operations a deployment would refuse, and grants nothing used.</summary>
internal static class GrantsReport
{
    /// <summary>Prints the report; the exit code is 3 when any operation was refused.</summary>
    public static int Print(LakeGrantUsage grants)
    {
        var unused = grants.Unused(LakeGrant.All.Select(g => g.Function)).Select(u => $"{u.Function} {u.Operation.ToString().ToLowerInvariant()} {u.Prefix}").ToList();
        AnsiConsole.MarkupLineInterpolated($"Lake grants enforced: {grants.Denied.Count} operations refused; unused grants: {(unused.Count == 0 ? "none" : string.Join(", ", unused))}.");
        foreach (var denial in grants.Denied.Distinct())
        {
            AnsiConsole.MarkupLineInterpolated($"[red]refused[/]: {denial}");
        }
        return grants.Denied.Count == 0 ? 0 : 3;
    }
}
