using Spectre.Console;
using WineFunctions.Stack;

namespace WineFunctions.Cli;

/// <summary>Prints where the local ratings API and page are and the two development tokens.</summary>
internal static class RatingsApiView
{
    public static void Print(StackRatingsApi? api)
    {
        if (api is null)
        {
            return;
        }
        AnsiConsole.MarkupLineInterpolated($"[green]ratings API[/]: {api.Url}/api/v1  page {api.Page}  reference {api.ApiReference}");
        // Unwrapped plain lines (Spectre would wrap them at the console width), so a token can be copied whole.
        Console.Out.WriteLine($"customer token ({api.CustomerId}): {api.CustomerToken}");
        Console.Out.WriteLine($"taster token ({api.TasterId}): {api.TasterToken}");
    }
}
