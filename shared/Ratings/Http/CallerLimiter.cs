using System.Threading.RateLimiting;

namespace WineFunctions.Ratings.Http;

/// <summary>
/// Per-caller token buckets (System.Threading.RateLimiting, the limiter ASP.NET Core's
/// middleware uses), applied inside the endpoint code so that Kestrel and the Functions worker
/// limit the same way. A caller is the token's subject, or the client address without a token.
/// </summary>
public sealed class CallerLimiter(RateLimitSettings settings) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(caller =>
        RateLimitPartition.GetTokenBucketLimiter(caller, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = settings.Burst,
            TokensPerPeriod = settings.PerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    public bool TryAcquire(string caller)
    {
        using var lease = _limiter.AttemptAcquire(caller);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
