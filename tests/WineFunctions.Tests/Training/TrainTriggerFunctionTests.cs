using System.Text.Json;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Training;

public sealed class TrainTriggerFunctionTests
{
    [Fact]
    public void The_train_trigger_app_declares_a_blob_trigger_on_the_lakes_training_prefix()
    {
        var function = Assert.Single(FunctionsMetadata.Read("functions/train-trigger"));
        Assert.Equal("TrainOnUpload", (string)function!["name"]!);
        Assert.Equal("dotnet-isolated", (string)function["language"]!);
        var trigger = Assert.Single(function["bindings"]!.AsArray())!;
        Assert.Equal("blobTrigger", (string)trigger["type"]!);
        Assert.Equal("%LakeContainer%/training/{name}", (string)trigger["path"]!);
        Assert.Equal("LakeStorage", (string)trigger["connection"]!);

        var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(NodeServer.RepositoryRoot(), "functions/train-trigger/local.settings.json")))
            .RootElement.GetProperty("Values");
        Assert.Equal(settings.GetProperty("LakeContainer").GetString(), settings.GetProperty("Lake__BlobContainer").GetString());
    }
}
