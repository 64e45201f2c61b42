using System.Diagnostics.Metrics;

namespace WineFunctions.Lake;

/// <summary>
/// Keys the lake would never write (a copy named <c>upload (1).parquet</c> by hand, say): a store's
/// listing skips them, so one odd object cannot stop a reader, and counts them (per store and as
/// <c>wine.lake.keys.skipped</c>) so that someone cleans up.
/// </summary>
internal sealed class ForeignKeys(string store)
{
    public const string MeterName = "WineFunctions.Lake";
    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Skipped = Meter.CreateCounter<long>("wine.lake.keys.skipped", description: "Listed keys the lake would never write, skipped");
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public bool Keep(string key)
    {
        if (ObjectKeys.IsValid(key))
        {
            return true;
        }
        Interlocked.Increment(ref _count);
        Skipped.Add(1, new KeyValuePair<string, object?>("store", store));
        return false;
    }
}
