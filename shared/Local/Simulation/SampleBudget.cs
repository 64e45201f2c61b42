namespace WineFunctions.Simulation;

/// <summary>The number of scans left in a run, shared by all devices; unlimited when no total is set.</summary>
internal sealed class SampleBudget(long? total)
{
    private long _left = total ?? long.MaxValue;

    public bool TryTake()
    {
        while (true)
        {
            var left = Interlocked.Read(ref _left);
            if (left <= 0)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _left, left - 1, left) == left)
            {
                return true;
            }
        }
    }

    public void Return() => Interlocked.Increment(ref _left);
}
