using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using WineFunctions.Explore;

namespace WineFunctions.Cli;

/// <summary><c>wine trace SAMPLE_ID</c> or <c>--batch ID</c>: where samples went, from the lake's own records (no tracing backend).</summary>
public static class TraceCommand
{
    public static Command Create()
    {
        var lake = new LakeOptions();
        var sample = new Argument<string?>("sample") { Description = "The sample's id, as its device sent it.", Arity = ArgumentArity.ZeroOrOne };
        var batch = new Option<string?>("--batch") { Description = "Every sample of this batch instead of one." };
        var command = new Command("trace",
            "Where a sample went, from the lake's own records: its scan, the raw object the sink wrote it into (Kafka offsets, trace context), " +
            "its prediction, any sink dead letter holding it, and the trust zones it crossed, each with its time.") { sample, batch };
        lake.AddTo(command);
        command.Validators.Add(r =>
        {
            if ((r.GetValue(sample) is null) == (r.GetValue(batch) is null))
            {
                r.AddError("Name one sample (wine trace SAMPLE_ID) or one batch (--batch ID).");
            }
        });
        command.SetAction(async (parse, cancellationToken) => await CliErrors.RunAsync(async () =>
        {
            var store = lake.Settings(parse).Open();
            try
            {
                await using var session = await LakeProgress.OpenAsync(store, lake.CacheFolder(parse), cancellationToken);
                var journeys = await SampleJourneys.FindAsync(session, store, parse.GetValue(sample), parse.GetValue(batch), cancellationToken);
                if (journeys.Count == 0)
                {
                    AnsiConsole.MarkupLineInterpolated($"[red]not found[/]: no {(parse.GetValue(sample) is { } id ? $"sample {id}" : $"batch {parse.GetValue(batch)}")} in {store.Location}, stored or dead-lettered.");
                    return 1;
                }
                foreach (var journey in journeys)
                {
                    Print(journey);
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

    /// <summary>One plain line per hop, unwrapped (a table would wrap keys at the console width), so keys and ids can be copied whole.</summary>
    private static void Print(SampleJourney journey)
    {
        Console.Out.WriteLine($"sample {journey.SampleId} (batch {journey.BatchId}){(journey.TraceParent is { } trace ? $", trace context {trace}" : "")}");
        foreach (var hop in journey.Hops)
        {
            var at = hop.At?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) ?? "-".PadRight(23);
            Console.Out.WriteLine($"  {at}  {hop.Step}: {hop.Where} ({hop.Detail})");
        }
    }
}
