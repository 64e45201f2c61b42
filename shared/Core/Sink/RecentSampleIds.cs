namespace WineFunctions.Sink;

/// <summary>The last N sample ids seen in a partition, to drop the bridge's at-least-once duplicates.</summary>
public sealed class RecentSampleIds(int capacity)
{
    private readonly Queue<string> _order = new();
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

    public bool Contains(string sampleId) => _counts.ContainsKey(sampleId);

    public void Add(string sampleId)
    {
        if (capacity == 0)
        {
            return;
        }
        _order.Enqueue(sampleId);
        _counts[sampleId] = _counts.GetValueOrDefault(sampleId) + 1;
        if (_order.Count > capacity)
        {
            var oldest = _order.Dequeue();
            if (--_counts[oldest] == 0)
            {
                _counts.Remove(oldest);
            }
        }
    }
}
