using WineFunctions.Samples;

namespace WineFunctions.Simulation;

/// <summary>What the devices did so far, as a consistent-enough snapshot for progress output.</summary>
public sealed record SimulatorSnapshot(
    long Scanned,
    long Delivered,
    long RefusedScans,
    long RejectedByBroker,
    long ConnectionsLost,
    long Resends,
    IReadOnlyDictionary<(WineColour Colour, QualityClass Class), long> DeliveredByClass)
{
    /// <summary>Samples taken and still waiting on a device to be acknowledged by the broker.</summary>
    public long Queued => Scanned - Delivered - RejectedByBroker;
}

/// <summary>Thread-safe counters the devices update.</summary>
public sealed class SimulatorStats
{
    private long _scanned, _delivered, _refusedScans, _rejectedByBroker, _connectionsLost, _resends;
    private readonly long[] _deliveredByClass = new long[6];

    internal void Scanned() => Interlocked.Increment(ref _scanned);
    internal void RefusedScan() => Interlocked.Increment(ref _refusedScans);
    internal void RejectedByBroker() => Interlocked.Increment(ref _rejectedByBroker);
    internal void ConnectionLost() => Interlocked.Increment(ref _connectionsLost);
    internal void Resend() => Interlocked.Increment(ref _resends);

    internal void Delivered(WineSample sample)
    {
        Interlocked.Increment(ref _delivered);
        Interlocked.Increment(ref _deliveredByClass[Index(sample.Wine, sample.SimulatedClass!.Value)]);
    }

    public SimulatorSnapshot Snapshot() => new(
        Interlocked.Read(ref _scanned),
        Interlocked.Read(ref _delivered),
        Interlocked.Read(ref _refusedScans),
        Interlocked.Read(ref _rejectedByBroker),
        Interlocked.Read(ref _connectionsLost),
        Interlocked.Read(ref _resends),
        (from colour in new[] { WineColour.Red, WineColour.White }
         from quality in QualityClasses.All
         select (colour, quality)).ToDictionary(k => k, k => Interlocked.Read(ref _deliveredByClass[Index(k.colour, k.quality)])));

    private static int Index(WineColour colour, QualityClass quality) => (int)colour * 3 + (int)quality;
}
