using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WineFunctions.Lake;
using WineFunctions.Training;

namespace WineFunctions.Functions.TrainTrigger;

/// <summary>
/// The orange flow: a data set uploaded under the lake's <c>training/</c> prefix trains,
/// evaluates and is gated for promotion. The blob is not bound as content: the shared training
/// service reads it (and its held-out sibling) through the lake store like every other caller.
/// A refused file is recorded, not retried; an unexpected failure throws, so the host retries
/// and, after its limit, parks the blob in the poison queue.
/// </summary>
public sealed class TrainOnUploadFunction(TrainingService training, ILogger<TrainOnUploadFunction> logger)
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
        var record = await training.TrainUploadAsync(key, $"train-trigger (upload {key})", null, cancellationToken);
        logger.LogInformation("Training upload {Upload}: {Outcome}, version {Version}", key, record?.Outcome, record?.Version);
    }
}
