using WineFunctions.Models;
using WineFunctions.Prediction;
using WineFunctions.Tests.Infrastructure;
using WineFunctions.Training;

namespace WineFunctions.Tests.Predict;

[Trait(Categories.Name, Categories.Unit)]
public sealed class CompiledTreesTests
{
    [Fact]
    public void A_class_models_ONNX_export_scores_like_MLNET_and_anything_else_is_refused_by_name()
    {
        var rows = TrainingData.Simulated(600, seed: 4);
        var trainer = new WineModelTrainer();
        var model = trainer.FitClassModel(rows, TrainerSettings.Tuned with { Iterations = 20 });
        var classifier = new SampleClassifier(trainer.ExportOnnx(model), 3, null);
        var expected = trainer.PredictClasses(model, rows);
        var scored = classifier.PredictRows(rows);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(expected[i], scored[i], (a, b) => Math.Abs(a - b) < 1e-5);
        }

        // A score regression exports trees too, but not three normalised class probabilities.
        var score = trainer.ExportOnnx(trainer.FitScoreModel(rows, TrainerSettings.ScoreModel with { Iterations = 5 }));
        var refused = Assert.Throws<InvalidDataException>(() => new SampleClassifier(score, 4, null));
        Assert.Equal("model version 4 is not a WineFunctions class model (ML.NET's LightGbm multiclass export): no Concat node gathers the class probabilities", refused.Message);

        refused = Assert.Throws<InvalidDataException>(() => new SampleClassifier("not a model"u8.ToArray(), 5, null));
        Assert.StartsWith("model version 5 is not a WineFunctions class model", refused.Message);
    }
}
