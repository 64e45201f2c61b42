using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WineFunctions.Hosting;
using WineFunctions.Lambda;
using WineFunctions.Lake;
using WineFunctions.Prediction;
using WineFunctions.Training;
using WineFunctions.Registry;

namespace WineFunctions.Stack;

/// <summary>What the lake's functions have done so far in the stack.</summary>
public sealed record LakeFunctionsProgress(PredictCounts Predict, long WaitingForModel, IReadOnlyList<TrainingRecord> Trainings);

/// <summary>
/// The functions the cloud runs on lake events, driven here without a cloud: every raw object the
/// sink stores raises the S3 event record AWS would send, handled by the predict function's own
/// handler, and every data set uploaded under
/// <c>training/</c> is trained on (in Azure a blob trigger does this; here a watcher lists the
/// prefix). Objects that arrive before any model is promoted wait and are predicted after the
/// first promotion.
/// </summary>
/// <param name="predictLake">The lake as the predict function sees it from its trust zone.</param>
/// <param name="trainLake">The lake as the train-trigger sees it from its trust zone.</param>
public sealed class LakeFunctions(IObjectStore predictLake, IObjectStore trainLake, TimeProvider time, ILoggerFactory loggers) : IDisposable
{
    private static readonly TimeSpan WatchInterval = TimeSpan.FromSeconds(1);
    private readonly Channel<string> _stored = Channel.CreateUnbounded<string>();
    private readonly PredictMetrics _metrics = new();
    private readonly List<string> _waiting = [];
    private readonly List<TrainingRecord> _trainings = [];
    private readonly Lock _gate = new();
    private readonly ILogger _logger = loggers.CreateLogger<LakeFunctions>();
    private RawObjectPredictor? _predictor;
    private RawSampleEventHandler? _handler;
    private volatile bool _completing;

    public LakeFunctionsProgress Progress
    {
        get
        {
            lock (_gate)
            {
                return new(_metrics.Counts, _waiting.Count, [.. _trainings]);
            }
        }
    }

    /// <summary>Called with the keys of each run the sink stored.</summary>
    public void Stored(IEnumerable<string> keys)
    {
        foreach (var key in keys.Where(k => k.StartsWith(LakeLayout.RawSamples, StringComparison.Ordinal)))
        {
            _stored.Writer.TryWrite(key);
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var predict = PredictFunction.Create(predictLake, null, new PredictSettings(), time, loggers, _metrics);
        (_predictor, _handler) = (predict.Predictor, predict.Handler);
        await Task.WhenAll(PredictAsync(cancellationToken), WatchTrainingAsync(cancellationToken));
    }

    /// <summary>
    /// A clean stop: the training in progress finishes (and predicts what waited for its model),
    /// no new upload is taken, and every stored object is predicted or left waiting for a model.
    /// </summary>
    public void Complete()
    {
        _completing = true;
        _stored.Writer.TryComplete();
    }

    private async Task PredictAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var key in _stored.Reader.ReadAllAsync(cancellationToken))
            {
                await PredictOneAsync(key, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task PredictOneAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var notification = S3EventNotification.ObjectsCreated("local-lake", [(key, 0)], time.GetUtcNow());
            var context = new LambdaContext(Guid.NewGuid().ToString(), DateTimeOffset.MaxValue, "local:wine-predict", null, null, null);
            await _handler!.HandleAsync(JsonSerializer.SerializeToUtf8Bytes(notification, S3EventJsonContext.Default.S3EventNotification), context, cancellationToken);
        }
        catch (RawObjectPredictionException e) when (e.InnerException is NoChampionException)
        {
            lock (_gate)
            {
                _waiting.Add(key);
            }
        }
        catch (RawObjectPredictionException e)
        {
            _logger.LogError(e, "Raw sample object {Key} could not be predicted", key);
        }
    }

    private async Task WatchTrainingAsync(CancellationToken cancellationToken)
    {
        await using var training = ProcessServices.Build(time, loggers, services => services.AddSingleton(trainLake).AddTraining());
        var watcher = training.GetRequiredService<TrainingUploadWatcher>();
        Task Record(TrainingRecord record)
        {
            lock (_gate)
            {
                _trainings.Add(record);
            }
            return Task.CompletedTask;
        }
        // Uploads are checked on their own timer too, so one that is refused is not kept waiting behind a training.
        using var stopChecking = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var checking = CheckUploadsAsync(watcher, Record, stopChecking.Token);
        using var timer = new PeriodicTimer(WatchInterval, time);
        try
        {
            do
            {
                try
                {
                    await watcher.PassAsync("wine up", TrainingTarget.InProcess, async record =>
                    {
                        await Record(record);
                        if (record.Outcome == TrainingOutcome.Promoted)
                        {
                            await PredictWaitingAsync(cancellationToken);
                        }
                    }, () => _completing, cancellationToken);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    _logger.LogWarning(e, "A training pass failed; the next one tries again");
                }
            }
            while (!_completing && await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            await stopChecking.CancelAsync();
            await checking;
        }
    }

    private async Task CheckUploadsAsync(TrainingUploadWatcher watcher, Func<TrainingRecord, Task> rejected, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(WatchInterval, time);
        try
        {
            while (!_completing && await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await watcher.CheckPassAsync(rejected, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The training loop checks each upload again before it trains it: a failed look here loses nothing.
                    _logger.LogWarning(e, "Checking the training uploads failed; trying again in {Interval}", WatchInterval);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The promotion event: swap the model, then predict what waited for one.</summary>
    private async Task PredictWaitingAsync(CancellationToken cancellationToken)
    {
        _predictor!.Champion.PromotionHappened();
        List<string> waiting;
        lock (_gate)
        {
            waiting = [.. _waiting];
            _waiting.Clear();
        }
        foreach (var key in waiting)
        {
            await PredictOneAsync(key, cancellationToken);
        }
    }

    public void Dispose()
    {
        _predictor?.Champion.Dispose();
        _metrics.Dispose();
    }
}
