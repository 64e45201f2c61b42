using System.Text.Json;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Training;

[Trait(Categories.Name, Categories.Unit)]
public sealed class TrainTriggerFunctionTests
{
    [Fact]
    public void The_train_trigger_app_declares_a_blob_trigger_on_the_lakes_training_prefix_and_a_timer_for_lakes_elsewhere()
    {
        var functions = FunctionsMetadata.Read("functions/train-trigger").Select(f => f!).ToList();
        Assert.Equal(["TrainOnSchedule", "TrainOnUpload"], functions.Select(f => (string)f["name"]!).Order());
        var function = functions.Single(f => (string)f["name"]! == "TrainOnUpload");
        Assert.Equal("dotnet-isolated", (string)function["language"]!);
        var trigger = Assert.Single(function["bindings"]!.AsArray())!;
        Assert.Equal("blobTrigger", (string)trigger["type"]!);
        Assert.Equal("%LakeContainer%/training/{name}", (string)trigger["path"]!);
        Assert.Equal("LakeStorage", (string)trigger["connection"]!);

        // For a lake not in Azure: the same work on a schedule, disabled when the blob trigger serves.
        var timer = Assert.Single(functions.Single(f => (string)f["name"]! == "TrainOnSchedule")!["bindings"]!.AsArray())!;
        Assert.Equal("timerTrigger", (string)timer["type"]!);
        Assert.Equal("%TrainingPollSchedule%", (string)timer["schedule"]!);

        var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(NodeServer.RepositoryRoot(), "functions/train-trigger/local.settings.json")))
            .RootElement.GetProperty("Values");
        Assert.Equal(settings.GetProperty("LakeContainer").GetString(), settings.GetProperty("Lake__BlobContainer").GetString());
        Assert.Equal("true", settings.GetProperty("AzureWebJobs.TrainOnSchedule.Disabled").GetString());
    }
}
