using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using WineFunctions.Data;
using WineFunctions.Samples;
using WineFunctions.Training;
using WineFunctions.Models;

namespace WineFunctions.Benchmarks;

/// <summary>How rows are weighted by class: not at all, by the inverse class share, or by its square root.</summary>
internal enum ClassWeighting
{
    None,
    SqrtBalanced,
    Balanced,
}

/// <summary>Extra features computed from the 11 measurements (trees cannot form differences or ratios themselves).</summary>
internal enum FeatureSet
{
    /// <summary>The 11 measurements and the colour, as <see cref="WineFunctions.Models.ModelFeatures"/> builds them.</summary>
    Base,

    /// <summary>Plus bound SO2 (total - free) and the free share of the total.</summary>
    Sulfur,

    /// <summary>Plus the sulfur pair, alcohol x density and the molecular SO2 proxy free / (1 + 10^(pH - 1.81)).</summary>
    Chemistry,
}

internal enum Learner
{
    LightGbm,

    /// <summary>FastTree has no multiclass form in ML.NET: one binary FastTree per class, one-versus-all.</summary>
    FastTreeOneVersusAll,

    /// <summary>A random forest: one binary FastForest per class, one-versus-all (Iterations is the number of trees).</summary>
    FastForestOneVersusAll,

    /// <summary>Multinomial logistic regression on standardised features (no tree knob applies).</summary>
    MaximumEntropy,

    /// <summary>Regression on the 0-10 score (tolerance only).</summary>
    LightGbmRegression,
    FastTreeRegression,

    /// <summary>The 0-10 score as a class, its argmax as the predicted score (tolerance only).</summary>
    LightGbmScoreClasses,
}

/// <summary>One candidate of the search: learner, its knobs, class weights, features, one model or one per colour.</summary>
internal sealed record Candidate(
    Learner Learner = Learner.LightGbm,
    int Leaves = 31,
    int Iterations = 300,
    double LearningRate = 0.05,
    int MinimumRowsPerLeaf = 10,
    double FeatureFraction = 0.8,
    double RowSubsample = 0.8,
    ClassWeighting Weights = ClassWeighting.Balanced,
    FeatureSet Features = FeatureSet.Base,
    bool PerColour = false,
    double L2 = 0)
{
    /// <summary>The LightGbm knobs as the shipped trainer names them.</summary>
    public TrainerSettings Settings => new()
    {
        Leaves = Leaves, Iterations = Iterations, LearningRate = LearningRate, MinimumRowsPerLeaf = MinimumRowsPerLeaf,
        FeatureFraction = FeatureFraction, RowSubsample = RowSubsample, L2Regularization = L2,
    };

    public string Name =>
        $"{Learner} L{Leaves} it{Iterations} lr{LearningRate:0.###} min{MinimumRowsPerLeaf} ff{FeatureFraction:0.##} ss{RowSubsample:0.##} l2 {L2:0.#} w:{Weights} f:{Features}{(PerColour ? " per-colour" : "")}";
}

/// <summary>
/// The search's own fitting, wider than the shipped <see cref="WineFunctions.Training.WineModelTrainer"/>
/// (FastTree, engineered features, per-colour models, sqrt weights); winners move into shared.
/// Predictions come back as per-row class (or 0-10 score) probabilities.
/// </summary>
internal sealed class TuneTrainer(int seed)
{
    private readonly MLContext _ml = new(seed);

    public static int FeatureCount(FeatureSet set) => set switch
    {
        FeatureSet.Base => 12,
        FeatureSet.Sulfur => 14,
        _ => 16,
    };

    public static float[] Features(LabelledMeasurements row, FeatureSet set)
    {
        var f = new float[FeatureCount(set)];
        WineFunctions.Models.ModelFeatures.Write(row.Colour, row.Values, f.AsSpan(0, 12));
        if (set == FeatureSet.Base)
        {
            return f;
        }
        var v = row.Values; // Measurement.All order: fixed, volatile, citric, sugar, chlorides, free SO2, total SO2, density, pH, sulphates, alcohol
        f[12] = (float)(v[6] - v[5]);
        f[13] = (float)(v[6] > 0 ? v[5] / v[6] : 0);
        if (set == FeatureSet.Chemistry)
        {
            f[14] = (float)(v[10] * v[7]);
            f[15] = (float)(v[5] / (1 + Math.Pow(10, v[8] - 1.81)));
        }
        return f;
    }

    /// <summary>Fits on <paramref name="train"/> and returns, for each test row, the probabilities over <paramref name="classes"/> classes.</summary>
    public float[][] FitPredict(Candidate c, IReadOnlyList<LabelledMeasurements> train, IReadOnlyList<LabelledMeasurements> test, out TimeSpan fit)
    {
        if (!c.PerColour)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var model = Fit(c, train);
            fit = watch.Elapsed;
            return Predict(model, c, test);
        }
        var result = new float[test.Count][];
        fit = TimeSpan.Zero;
        foreach (var colour in new[] { WineColour.Red, WineColour.White })
        {
            var of = Enumerable.Range(0, test.Count).Where(i => test[i].Colour == colour).ToList();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var model = Fit(c, [.. train.Where(r => r.Colour == colour)]);
            fit += watch.Elapsed;
            var predicted = Predict(model, c, [.. of.Select(i => test[i])]);
            for (var n = 0; n < of.Count; n++)
            {
                result[of[n]] = predicted[n];
            }
        }
        return result;
    }

    /// <summary>The 0-10 score classes the score-as-class learner uses (3 to 9 in the UCI data).</summary>
    public const int LowestScore = 3;
    public const int ScoreClasses = 7;

    private bool IsRegression(Learner l) => l is Learner.LightGbmRegression or Learner.FastTreeRegression;

    private ITransformer Fit(Candidate c, IReadOnlyList<LabelledMeasurements> rows)
    {
        var n = FeatureCount(c.Features);
        var scoreClasses = c.Learner == Learner.LightGbmScoreClasses;
        uint LabelOf(LabelledMeasurements r) => scoreClasses ? (uint)Math.Clamp(r.Quality - LowestScore, 0, ScoreClasses - 1) : (uint)r.Class;
        var classes = scoreClasses ? ScoreClasses : 3;
        var counts = Enumerable.Range(0, classes).Select(k => Math.Max(1, rows.Count(r => LabelOf(r) == k))).ToArray();
        float Weight(LabelledMeasurements r) => c.Weights switch
        {
            ClassWeighting.Balanced => (float)rows.Count / (classes * counts[LabelOf(r)]),
            ClassWeighting.SqrtBalanced => (float)Math.Sqrt((double)rows.Count / (classes * counts[LabelOf(r)])),
            _ => 1f,
        };
        var schema = SchemaDefinition.Create(typeof(TrainRow));
        schema[nameof(TrainRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, n);
        var data = _ml.Data.LoadFromEnumerable(rows.Select(r => new TrainRow
        {
            Features = Features(r, c.Features),
            Class = LabelOf(r),
            Score = r.Quality,
            Weight = Weight(r),
        }), schema);

        if (IsRegression(c.Learner))
        {
            var regression = _ml.Transforms.CopyColumns("Label", nameof(TrainRow.Score)).Fit(data).Transform(data);
            return c.Learner == Learner.LightGbmRegression
                ? _ml.Regression.Trainers.LightGbm(LightGbmRegression(c)).Fit(regression)
                : _ml.Regression.Trainers.FastTree(FastTreeRegression(c)).Fit(regression);
        }

        var keyData = _ml.Data.LoadFromEnumerable(Enumerable.Range(0, classes).Select(k => new KeyRow { Class = (uint)k }));
        var keyed = _ml.Transforms.Conversion.MapValueToKey("Label", nameof(TrainRow.Class),
            keyOrdinality: Microsoft.ML.Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByValue, keyData: keyData).Fit(data).Transform(data);
        return c.Learner switch
        {
            Learner.FastTreeOneVersusAll => _ml.MulticlassClassification.Trainers.OneVersusAll(_ml.BinaryClassification.Trainers.FastTree(FastTreeBinary(c))).Fit(keyed),
            Learner.FastForestOneVersusAll => _ml.MulticlassClassification.Trainers.OneVersusAll(_ml.BinaryClassification.Trainers.FastForest(FastForestBinary(c))).Fit(keyed),
            Learner.MaximumEntropy => _ml.Transforms.NormalizeMeanVariance(nameof(TrainRow.Features))
                .Append(_ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(featureColumnName: nameof(TrainRow.Features), exampleWeightColumnName: nameof(TrainRow.Weight)))
                .Fit(keyed),
            _ => _ml.MulticlassClassification.Trainers.LightGbm(LightGbmMulticlass(c)).Fit(keyed),
        };
    }

    private float[][] Predict(ITransformer model, Candidate c, IReadOnlyList<LabelledMeasurements> rows)
    {
        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, FeatureCount(c.Features));
        var scored = model.Transform(_ml.Data.LoadFromEnumerable(rows.Select(r => new FeatureRow { Features = Features(r, c.Features) }), schema));
        if (IsRegression(c.Learner))
        {
            return [.. scored.GetColumn<float>("Score").Select(s => new[] { s })];
        }
        return [.. scored.GetColumn<VBuffer<float>>("Score").Select(s => s.DenseValues().ToArray())];
    }

    // No seed: the candidates draw theirs from the MLContext, as the figures in docs/training.md did.
    private static LightGbmMulticlassTrainer.Options LightGbmMulticlass(Candidate c) =>
        LightGbmKnobs.Apply(new LightGbmMulticlassTrainer.Options { ExampleWeightColumnName = nameof(TrainRow.Weight) }, c.Settings);

    private static LightGbmRegressionTrainer.Options LightGbmRegression(Candidate c) =>
        LightGbmKnobs.Apply(new LightGbmRegressionTrainer.Options { ExampleWeightColumnName = nameof(TrainRow.Weight) }, c.Settings);

    private static FastTreeBinaryTrainer.Options FastTreeBinary(Candidate c) => FastTree(new FastTreeBinaryTrainer.Options(), c);

    private static FastForestBinaryTrainer.Options FastForestBinary(Candidate c) => new()
    {
        ExampleWeightColumnName = nameof(TrainRow.Weight),
        NumberOfLeaves = c.Leaves,
        NumberOfTrees = c.Iterations,
        MinimumExampleCountPerLeaf = c.MinimumRowsPerLeaf,
        FeatureFraction = c.FeatureFraction,
        NumberOfThreads = 1,
    };

    private static FastTreeRegressionTrainer.Options FastTreeRegression(Candidate c) => FastTree(new FastTreeRegressionTrainer.Options(), c);

    private static TOptions FastTree<TOptions>(TOptions options, Candidate c) where TOptions : BoostedTreeOptions
    {
        options.ExampleWeightColumnName = nameof(TrainRow.Weight);
        options.NumberOfLeaves = c.Leaves;
        options.NumberOfTrees = c.Iterations;
        options.LearningRate = c.LearningRate;
        options.MinimumExampleCountPerLeaf = c.MinimumRowsPerLeaf;
        options.FeatureFraction = c.FeatureFraction;
        options.BaggingSize = c.RowSubsample < 1 ? 1 : 0;
        options.BaggingExampleFraction = c.RowSubsample;
        options.NumberOfThreads = 1;
        return options;
    }

    private sealed class TrainRow
    {
        public float[] Features { get; set; } = [];
        public uint Class { get; set; }
        public float Score { get; set; }
        public float Weight { get; set; }
    }

    private sealed class FeatureRow
    {
        public float[] Features { get; set; } = [];
    }

    private sealed class KeyRow
    {
        public uint Class { get; set; }
    }
}
