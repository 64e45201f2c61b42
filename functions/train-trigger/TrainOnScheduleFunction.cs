using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WineFunctions.Training;

namespace WineFunctions.Functions.TrainTrigger;

/// <summary>
/// The orange flow when the lake is not in Azure (an S3 lake, whose events cannot reach this app):
/// on a schedule, uploads under <c>training/</c> without a newer training record are checked and
/// trained or sent to a worker, exactly as the blob trigger does for a lake in Azure. Terraform
/// enables one of the two functions, by where the lake is.
/// </summary>
public sealed class TrainOnScheduleFunction(TrainingUploadWatcher watcher, TrainingDispatch dispatch, ILogger<TrainOnScheduleFunction> logger)
{
    [Function("TrainOnSchedule")]
    public async Task RunAsync([TimerTrigger("%TrainingPollSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        await watcher.PassAsync("train-trigger (schedule)", dispatch.Target, record =>
        {
            logger.LogInformation("Training upload {Upload}: {Outcome}, version {Version}", record.Upload, record.Outcome, record.Version);
            return Task.CompletedTask;
        }, () => false, cancellationToken);
    }
}
