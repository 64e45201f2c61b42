using WineFunctions.Lake;
using WineFunctions.Registry;

namespace WineFunctions.Training;

/// <summary>
/// Finds uploads under <c>training/</c> that have no training record newer than themselves and
/// sends each to training. For lakes whose store raises no event the function could trigger on:
/// the local stack's folder, and an S3 lake read by the train-trigger in Azure on a timer.
/// </summary>
public sealed class TrainingUploadWatcher(IObjectStore lake, TrainingService training)
{
    /// <summary>One look at the prefix; <paramref name="finished"/> hears each record as it is made.</summary>
    /// <param name="stop">Asked before each upload: true leaves the rest for a later pass.</param>
    public async Task PassAsync(string by, TrainingTarget target, Func<TrainingRecord, Task> finished, Func<bool> stop, CancellationToken cancellationToken)
    {
        await foreach (var upload in lake.ListAsync(LakeLayout.TrainingSets, cancellationToken))
        {
            if (stop())
            {
                return;
            }
            if (!TrainingFile.IsTrainingData(upload.Key)
                || await training.LastRecordAsync(upload.Key, cancellationToken) is { } done && done.At >= upload.LastModified)
            {
                continue;
            }
            if (await training.DispatchAsync(upload.Key, $"{by} (upload {upload.Key})", target, cancellationToken) is { } record)
            {
                await finished(record);
            }
        }
    }
}
