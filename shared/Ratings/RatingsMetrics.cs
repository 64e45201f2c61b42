using System.Diagnostics.Metrics;

namespace WineFunctions.Ratings;

/// <summary>The ratings API's meter: ratings and scores created, updated and withdrawn, replays, rejections by reason, indexing.</summary>
public sealed class RatingsMetrics : IDisposable
{
    public const string MeterName = "WineFunctions.Ratings";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _replayed;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _indexed;
    private readonly Counter<long> _unreadable;
    private readonly Counter<long> _lake;

    public RatingsMetrics()
    {
        _accepted = _meter.CreateCounter<long>("wine.ratings.accepted", description: "Ratings and taster scores created, updated or withdrawn, by kind and change");
        _replayed = _meter.CreateCounter<long>("wine.ratings.replayed", description: "POSTs answered from their Idempotency-Key");
        _rejected = _meter.CreateCounter<long>("wine.ratings.rejected", description: "Requests refused, by status");
        _indexed = _meter.CreateCounter<long>("wine.ratings.objects_indexed", description: "Lake objects added to the batch index");
        _unreadable = _meter.CreateCounter<long>("wine.ratings.objects_unreadable", description: "Lake objects the batch index could not read");
        _lake = _meter.CreateCounter<long>("wine.ratings.written_to_lake", description: "Accepted ratings and scores written from the outbox into the lake");
    }

    public void Changed(string kind, OpinionChange change) =>
        _accepted.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("change", change.ToString().ToLowerInvariant()));

    public void Replayed() => _replayed.Add(1);

    public void Rejected(int status) => _rejected.Add(1, new KeyValuePair<string, object?>("status", status));

    public void ObjectIndexed() => _indexed.Add(1);

    public void UnreadableObject() => _unreadable.Add(1);

    public void WrittenToLake(int count) => _lake.Add(count);

    public void Dispose() => _meter.Dispose();
}
