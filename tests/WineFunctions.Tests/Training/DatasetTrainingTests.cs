using Microsoft.Extensions.Logging.Abstractions;
using WineFunctions.Explore;
using WineFunctions.Registry;
using WineFunctions.Lake;
using WineFunctions.Samples;
using WineFunctions.Tests.Explore;
using WineFunctions.Tests.Infrastructure;
using WineFunctions.Training;

namespace WineFunctions.Tests.Training;

/// <summary>The pink flow into the orange one: a data set cut from the lake and uploaded trains a model, evaluated on its own test set.</summary>
public sealed class DatasetTrainingTests
{
    [Fact]
    public async Task A_data_set_cut_from_tasted_batches_trains_through_the_training_service_on_its_own_test_set()
    {
        await using var lake = await LakeStore.FolderAsync();
        var work = Directory.CreateTempSubdirectory("wine-dataset-train-");
        try
        {
            var colours = new[] { WineColour.Red, WineColour.White };
            var batches = Enumerable.Range(0, 18).Select(i => new TestBatch($"wh-01-b{i}", "wh-01", colours[i % 2], QualityClasses.All[i % 3],
                (i % 3) switch { 0 => [5, 5, 4], 1 => [6, 6, 7], _ => [8, 7, 7] }, ExploreLake.Day)).ToList();
            await ExploreLake.WriteSamplesAsync(lake.Store, batches, samplesPerBatch: 40);
            await ExploreLake.WriteScoresAsync(lake.Store, batches);

            await using var session = await ExploreSession.OpenLakeAsync(lake.Store, Path.Combine(work.FullName, "cache"), null, CancellationToken.None);
            var built = await new DatasetBuilder(TimeProvider.System).BuildAsync(session, new DatasetOptions { Name = "tasted" }, Path.Combine(work.FullName, "tasted"), null, CancellationToken.None);
            await DatasetBuilder.UploadAsync(lake.Store, built, null, CancellationToken.None);

            var record = await new TrainingService(lake.Store, TimeProvider.System, NullLogger<TrainingService>.Instance)
                .TrainUploadAsync("training/tasted/train.parquet", "test", null, CancellationToken.None);

            Assert.True(record!.Outcome == TrainingOutcome.Promoted, string.Join("; ", record.Reasons));
            var card = (await new ModelRegistry(lake.Store).GetCardAsync(1, CancellationToken.None))!;
            Assert.Equal("training/tasted/test.parquet", card.DataSet.HeldOutKey);
            var testRows = (await SampleParquet.ReadLabelledAsync(await File.ReadAllBytesAsync(Path.Combine(built.Folder, "test.parquet")), CancellationToken.None)).Count;
            Assert.Equal(testRows, card.Evaluation.HeldOutRows);
            Assert.Equal(18 * 40, card.Evaluation.Rows);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
