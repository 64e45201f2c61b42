using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using WineFunctions.Lake;

namespace WineFunctions.Sink;

/// <summary>
/// Stores a claimed run with retries and back-off. A store that keeps failing for a reason that can
/// clear is a <see cref="LakeUnavailableException"/>: the host waits and tries again, nothing is
/// committed and nothing dead-lettered. Only a run that can never be stored (the writer itself fails
/// on it) goes to the dead-letter prefix with the reason; nothing is skipped in silence.
/// Shared by the consumer-group host and the Functions app.
/// </summary>
public sealed class RunStore(IObjectStore store, SampleFormat format, TimeProvider time, ILogger logger)
{
    private readonly SampleRunWriter _writer = new(store, format, logger);
    private readonly ResiliencePipeline _retry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = 5,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(200),
            ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException),
        })
        .Build();

    public IObjectStore Store => store;

    /// <exception cref="LakeUnavailableException">The store still fails, for a reason that can clear.</exception>
    public async Task<T> RetryAsync<T>(Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            return await _retry.ExecuteAsync(async token => await action(token), cancellationToken);
        }
        catch (Exception e) when (LakeUnavailableException.CanClear(e))
        {
            throw new LakeUnavailableException(store.Location, e);
        }
    }

    /// <summary>The claim on the run from <paramref name="start"/>, or a new one up to <paramref name="lastAvailable"/>.</summary>
    public Task<SinkClaim> ClaimAsync(string topic, int partition, long start, long lastAvailable, CancellationToken cancellationToken) =>
        RetryAsync(token => new SinkClaim(start, lastAvailable).ClaimAsync(store, topic, partition, token), cancellationToken);

    public async Task<RunResult> StoreAsync(IReadOnlyList<SinkRecord> run, RecentSampleIds recent, CancellationToken cancellationToken)
    {
        try
        {
            return await RetryAsync(token => _writer.WriteAsync(run, recent, token), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException and not LakeUnavailableException)
        {
            logger.LogError(e, "Run {Start}-{End} of {Topic}/{Partition} can never be stored; writing it to the dead-letter prefix",
                run[0].Offset, run[^1].Offset, run[0].Topic, run[0].Partition);
            return await DeadLetterAsync(run, e, cancellationToken);
        }
    }

    private async Task<RunResult> DeadLetterAsync(IReadOnlyList<SinkRecord> run, Exception failure, CancellationToken cancellationToken)
    {
        var key = LakeLayout.SinkDeadLetters(run[0].Topic, run[0].Partition, run[0].Offset);
        var lines = string.Concat(run.Select(r => JsonSerializer.Serialize(
            new SinkDeadLetter(r.Topic, r.Partition, r.Offset, $"{SinkDeadLetter.RunNotStored}: {failure.Message}", Encoding.UTF8.GetString(r.Value)),
            SinkJsonContext.Default.SinkDeadLetter) + "\n"));
        // The store may be down altogether: keep trying, since skipping would lose the run.
        while (true)
        {
            try
            {
                await store.PutAsync(key, Encoding.UTF8.GetBytes(lines), new Dictionary<string, string>(), cancellationToken);
                return new RunResult(0, 0, run.Count, [key], []);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError("Dead-letter write to {Key} failed: {Message}; retrying", key, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(5), time, cancellationToken);
            }
        }
    }
}
