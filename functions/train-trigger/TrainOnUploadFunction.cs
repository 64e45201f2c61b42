using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WineFunctions.Lake;
using WineFunctions.Training;

namespace WineFunctions.Functions.TrainTrigger;

/// <summary>
/// The orange flow: a data set uploaded under the lake's <c>training/</c> prefix is checked and
/// then trained, evaluated and gated for promotion here, or sent to a training worker as a job
/// request in the lake (<c>Training:Target</c>). The blob is not bound as content: the shared training
/// service reads it (and its held-out sibling) through the lake store like every other caller.
/// A refused file is recorded, not retried; an unexpected failure throws, so the host retries
/// and, after its limit, parks the blob in the poison queue.
/// </summary>
public sealed class TrainOnUploadFunction(TrainingService training, TrainingDispatch dispatch, ILogger<TrainOnUploadFunction> logger)
{
    [Function("TrainOnUpload")]
    public async Task RunAsync(
        [BlobTrigger("%LakeContainer%/training/{name}", Connection = "LakeStorage")] BlobClient upload,
        string name,
        CancellationToken cancellationToken)
    {
        var key = LakeLayout.TrainingSets + name;
        if (!TrainingFile.IsTrainingData(key))
        {
            logger.LogInformation("{Blob} is not a training data file (manifest or test set); nothing to train", upload.Name);
            return;
        }
        var record = await training.DispatchAsync(key, $"train-trigger (upload {key})", dispatch.Target, cancellationToken);
        logger.LogInformation("Training upload {Upload}: {Outcome}, version {Version}", key, record?.Outcome, record?.Version);
    }
}
