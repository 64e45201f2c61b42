using System.Diagnostics;

namespace WineFunctions.Telemetry;

/// <summary>
/// The activity sources of each hop a sample makes, for OpenTelemetry (their names are what a
/// tracer provider subscribes to), and the W3C trace context each transport carries under the
/// one name <see cref="TraceParent"/>: an MQTT 5 user property from the device, a Kafka record
/// header from the bridge, lake object metadata from the sink and from predict.
/// </summary>
public static class WineTelemetry
{
    public const string TraceParent = "traceparent";

    /// <summary>A sink span links at most this many samples; the rest are counted in <c>wine.links_dropped</c>.</summary>
    public const int MaxLinks = 1024;

    public static readonly ActivitySource Devices = new("WineFunctions.Simulation");
    public static readonly ActivitySource Ingest = new("WineFunctions.Ingest");
    public static readonly ActivitySource Sink = new("WineFunctions.Sink");
    public static readonly ActivitySource Predict = new("WineFunctions.Predict");

    public static IReadOnlyList<string> SourceNames => [Devices.Name, Ingest.Name, Sink.Name, Predict.Name];

    /// <summary>The context a <c>traceparent</c> value names, or none when it is absent or malformed (a new trace starts).</summary>
    public static ActivityContext Parse(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, isRemote: true, out var context) ? context : default;

    /// <summary>The <c>traceparent</c> value of an activity; none when nobody listens (no activity is made).</summary>
    public static string? TraceParentOf(Activity? activity) =>
        activity is { IdFormat: ActivityIdFormat.W3C } ? activity.Id : null;
}
