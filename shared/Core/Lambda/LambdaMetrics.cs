using System.Diagnostics.Metrics;

namespace WineFunctions.Lambda;

/// <summary>Invocations of a custom runtime, on the <c>WineFunctions.Lambda</c> meter.</summary>
public sealed class LambdaMetrics : IDisposable
{
    public const string MeterName = "WineFunctions.Lambda";
    private readonly Meter _meter;
    private readonly Counter<long> _invocations;
    private readonly Histogram<double> _duration;

    public LambdaMetrics(IMeterFactory? meters = null)
    {
        _meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        _invocations = _meter.CreateCounter<long>("wine.lambda.invocations", "{invocation}", "Invocations handled, by outcome");
        _duration = _meter.CreateHistogram<double>("wine.lambda.invocation.duration", "s", "Time in the handler");
    }

    internal void Invoked(bool succeeded, TimeSpan elapsed)
    {
        var outcome = new KeyValuePair<string, object?>("outcome", succeeded ? "response" : "error");
        _invocations.Add(1, outcome);
        _duration.Record(elapsed.TotalSeconds, outcome);
    }

    public void Dispose() => _meter.Dispose();
}
