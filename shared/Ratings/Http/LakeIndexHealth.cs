namespace WineFunctions.Ratings.Http;

/// <summary>
/// Whether the batch index reached the lake the last time it tried: the API answers from what it
/// has either way, and its health says when the lake was last read and what went wrong since.
/// </summary>
public sealed class LakeIndexHealth(TimeProvider time)
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _lastRefreshed;
    private string? _problem;

    public void Refreshed()
    {
        lock (_gate)
        {
            (_lastRefreshed, _problem) = (time.GetUtcNow(), null);
        }
    }

    public void Failed(Exception exception)
    {
        lock (_gate)
        {
            _problem = exception.GetBaseException().Message;
        }
    }

    public Health Health
    {
        get
        {
            lock (_gate)
            {
                return _problem is null
                    ? new Health("ok")
                    : new Health("degraded", $"the lake could not be read ({_problem}); serving the batches indexed {(_lastRefreshed is { } at ? $"at {at:O}" : "so far: none")}, trying again");
            }
        }
    }
}
