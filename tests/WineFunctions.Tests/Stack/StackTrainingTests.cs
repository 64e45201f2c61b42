using Microsoft.Extensions.Logging.Abstractions;
using WineFunctions.Lake;
using WineFunctions.Prediction;
using WineFunctions.Stack;
using WineFunctions.Tests.Infrastructure;
using WineFunctions.Training;
using WineFunctions.Registry;

namespace WineFunctions.Tests.Stack;

[Collection(Collections.Librdkafka)]
public sealed class StackTrainingTests
{
    [Fact]
    public async Task An_upload_into_the_running_stacks_training_prefix_ends_in_a_promotion_and_every_stored_sample_is_predicted()
    {
        var folder = Directory.CreateTempSubdirectory("wine-stack-train-");
        try
        {
            var lakeFolder = Path.Combine(folder.FullName, "lake");
            var lake = new FolderObjectStore(lakeFolder);
            var stack = new LocalStack(new LocalStackOptions
            {
                LakeDirectory = lakeFolder,
                BridgeBufferDirectory = Path.Combine(folder.FullName, "buffer"),
                Samples = 300,
                SamplesPerSecond = 30,
                MqttPort = 0,
                ConnectionLossProbability = 0,
            }, TimeProvider.System, NullLoggerFactory.Instance);

            // Off xunit's synchronization context: the stack's loops must not queue behind the test runner's threads.
            var started = new TaskCompletionSource();
            var running = Task.Run(() => stack.RunAsync(_ => started.TrySetResult(), _ => { }, CancellationToken.None));
            await started.Task.WaitAsync(TimeSpan.FromMinutes(1));
            // Upload once the stack runs, as a data scientist would.
            await lake.PutAsync("training/simulated.csv", TrainingData.Csv(TrainingData.Simulated(1200, seed: 5)), new Dictionary<string, string>(), CancellationToken.None);
            var summary = await running.WaitAsync(TimeSpan.FromMinutes(3));

            var training = Assert.Single(summary.Functions!.Trainings);
            Assert.Equal(TrainingOutcome.Promoted, training.Outcome);
            Assert.Equal(1, training.Version);

            var predicted = summary.Functions.Predict;
            Assert.Equal(300, summary.Sink!.Samples);
            Assert.Equal(300, predicted.Good + predicted.Better + predicted.Best + predicted.Rejected);
            Assert.Equal(0, summary.Functions.WaitingForModel);
            Assert.Equal(300, predicted.Simulated);
            // Chance is a third (about 100 of 300, give or take 8); the model here matches about half.
            Assert.True(predicted.MatchedSimulated > 125, $"{predicted.MatchedSimulated} of 300 match the simulator's class");

            var raw = await lake.ListAsync(LakeLayout.RawSamples, CancellationToken.None).Select(e => e.Key).ToListAsync();
            var predictions = await lake.ListAsync(LakeLayout.Predictions, CancellationToken.None).Select(e => e.Key).ToListAsync();
            Assert.Equal(raw.Select(LakeLayout.PredictionsFor), predictions);
            var rows = 0;
            foreach (var key in predictions)
            {
                rows += (await PredictionParquet.ReadAsync((await lake.GetAsync(key, CancellationToken.None))!.Content, CancellationToken.None)).Count;
            }
            Assert.Equal(300, rows);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
