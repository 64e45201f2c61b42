using Spectre.Console;
using Spectre.Console.Rendering;
using WineFunctions.Samples;
using WineFunctions.Simulation;
using WineFunctions.Stack;
using WineFunctions.Registry;

namespace WineFunctions.Cli;

/// <summary>Renders the local stack's progress as a table: live on a terminal, every few seconds otherwise.</summary>
internal sealed class ProgressView
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);
    private readonly Lock _gate = new();
    private StackProgress? _latest;
    private TimeSpan? _lastPlain;

    public static bool Interactive => AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;

    public void Update(StackProgress progress)
    {
        lock (_gate)
        {
            _latest = progress;
            if (!Interactive && (_lastPlain is null || progress.Elapsed - _lastPlain >= PlainInterval))
            {
                _lastPlain = progress.Elapsed;
                Console.WriteLine(Line(progress));
            }
        }
    }

    /// <summary>Shows the table live until <paramref name="work"/> ends.</summary>
    public async Task<T> LiveAsync<T>(Func<Task<T>> work)
    {
        if (!Interactive)
        {
            return await work();
        }
        T result = default!;
        await AnsiConsole.Live(new Text("starting…")).AutoClear(false).StartAsync(async context =>
        {
            var running = work();
            while (!running.IsCompleted)
            {
                lock (_gate)
                {
                    if (_latest is not null)
                    {
                        context.UpdateTarget(Table(_latest));
                    }
                }
                await Task.WhenAny(running, Task.Delay(250));
            }
            result = await running;
        });
        return result;
    }

    public static IRenderable Table(StackProgress progress)
    {
        var table = new Table().Title($"wine up · {progress.Elapsed:hh\\:mm\\:ss}").AddColumn("").AddColumn(new TableColumn("count").RightAligned());
        if (progress.Simulator is { } s)
        {
            table.AddRow("samples scanned", $"{s.Scanned:N0}");
            table.AddRow("delivered to the broker", $"{s.Delivered:N0}");
            table.AddRow("queued on devices", $"{s.Queued:N0}");
            table.AddRow("scans refused (device queue full)", $"{s.RefusedScans:N0}");
            table.AddRow("connections lost / resends", $"{s.ConnectionsLost:N0} / {s.Resends:N0}");
            foreach (var ((colour, quality), count) in s.DeliveredByClass)
            {
                table.AddRow($"  {colour.ToString().ToLowerInvariant()} {quality.Name()}", $"{count:N0}");
            }
        }
        foreach (var (warehouse, count) in progress.BrokerAcceptedByWarehouse.OrderBy(w => w.Key))
        {
            table.AddRow($"broker accepted from {warehouse}", $"{count:N0}");
        }
        table.AddRow("broker refused (access rules)", $"{progress.BrokerRefused:N0}");
        if (progress.Bridge is { } b)
        {
            table.AddRow("bridge received from MQTT", $"{b.Counts.Received:N0}");
            table.AddRow("bridge forwarded to Kafka", $"{b.Counts.Forwarded:N0}");
            table.AddRow("bridge dead-lettered", $"{b.Counts.DeadLettered:N0}");
            table.AddRow("bridge buffered on disk (now / total)", $"{b.BufferedRecords:N0} / {b.Counts.Buffered:N0}");
        }
        if (progress.Sink is { } k)
        {
            table.AddRow("samples stored in the lake", $"{k.Samples:N0}");
            table.AddRow("lake objects written", $"{k.Objects:N0}");
            table.AddRow("sink: duplicates dropped / dead letters", $"{k.Duplicates:N0} / {k.DeadLetters:N0}");
            table.AddRow("sink: waiting in buffers", $"{k.BufferedRecords:N0}");
        }
        if (progress.Functions is { } f)
        {
            var p = f.Predict;
            table.AddRow("predicted good / better / best", $"{p.Good:N0} / {p.Better:N0} / {p.Best:N0}");
            table.AddRow("predictions: model version / rejected samples", $"{(p.ModelVersion is { } v ? $"v{v}" : "none yet")} / {p.Rejected:N0}");
            if (p.Simulated > 0)
            {
                table.AddRow("predicted the simulator's class", $"{p.MatchedSimulated:N0} of {p.Simulated:N0} ({(double)p.MatchedSimulated / p.Simulated:P0})");
            }
            if (f.WaitingForModel > 0)
            {
                table.AddRow("lake objects waiting for a model (wine upload trains one)", $"{f.WaitingForModel:N0}");
            }
            foreach (var t in f.Trainings.TakeLast(3))
            {
                table.AddRow($"training {t.Upload}", t.Outcome switch
                {
                    TrainingOutcome.Rejected => $"rejected: {string.Join("; ", t.Reasons.Take(2))}",
                    var outcome => $"v{t.Version} {outcome.ToString().ToLowerInvariant()}, macro accuracy {t.Metrics!.MacroAccuracy:0.000}",
                });
            }
        }
        return table;
    }

    private static string Predicted(StackProgress progress) => progress.Functions?.Predict is { } p
        ? $"{p.Good + p.Better + p.Best} (good {p.Good}, better {p.Better}, best {p.Best}{(p.Simulated > 0 ? $", {(double)p.MatchedSimulated / p.Simulated:P0} match the simulator" : "")})"
        : "0";

    public static string Line(StackProgress progress) => progress.Simulator is { } s
        ? $"[{progress.Elapsed:hh\\:mm\\:ss}] scanned {s.Scanned}, delivered {s.Delivered}, queued {s.Queued}, connections lost {s.ConnectionsLost}, broker accepted {progress.BrokerAcceptedByWarehouse.Values.Sum()}, in Kafka {progress.Bridge?.Counts.Forwarded ?? 0}, in the lake {progress.Sink?.Samples ?? 0}, predicted {Predicted(progress)}"
        : $"[{progress.Elapsed:hh\\:mm\\:ss}] broker accepted {progress.BrokerAcceptedByWarehouse.Values.Sum()}";
}
