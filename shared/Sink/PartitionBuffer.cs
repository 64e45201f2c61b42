namespace WineFunctions.Sink;

/// <summary>What the sink holds for one partition it owns.</summary>
internal sealed class PartitionBuffer(int duplicateWindow)
{
    public List<SinkRecord> Records { get; } = [];
    public long Bytes { get; private set; }
    public long FirstArrival { get; private set; }
    public RecentSampleIds Recent { get; } = new(duplicateWindow);

    /// <summary>Records before this offset are re-read only to rebuild <see cref="Recent"/>, not written.</summary>
    public long ReplayUntil { get; init; } = -1;

    /// <summary>The run a previous owner was writing; when the buffer starts where it started, it is cut where it ended.</summary>
    public SinkProgress? Progress { get; set; }

    public void Add(SinkRecord record, long timestamp)
    {
        if (Records.Count == 0)
        {
            FirstArrival = timestamp;
        }
        Records.Add(record);
        Bytes += record.Value.Length;
    }

    /// <summary>The run a retry must reproduce exactly, if the buffer is at its start.</summary>
    public SinkProgress? PendingCut => Progress is { } p && Records.Count > 0 && Records[0].Offset == p.Start ? p : null;

    public void RemoveFirst(int count)
    {
        Bytes -= Records.Take(count).Sum(r => (long)r.Value.Length);
        Records.RemoveRange(0, count);
    }
}
