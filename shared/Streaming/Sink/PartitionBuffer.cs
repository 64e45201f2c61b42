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

    /// <summary>The claim on the run that starts at the buffer's first record, once looked up or made.</summary>
    public SinkClaim? Claim { get; set; }

    public void Add(SinkRecord record, long timestamp)
    {
        if (Records.Count == 0)
        {
            FirstArrival = timestamp;
        }
        Records.Add(record);
        Bytes += record.Value.Length;
    }

    /// <summary>A claimed run that has not all arrived yet: nothing else may cut this buffer.</summary>
    public bool AwaitingClaimedRun => Claim is { } claim && Records.Count > 0 && Records[0].Offset == claim.Start && Records[^1].Offset < claim.End;

    public void DropBefore(long offset)
    {
        var stale = Records.TakeWhile(r => r.Offset < offset).Count();
        RemoveFirst(stale);
    }

    public void RemoveFirst(int count)
    {
        Bytes -= Records.Take(count).Sum(r => (long)r.Value.Length);
        Records.RemoveRange(0, count);
    }
}
