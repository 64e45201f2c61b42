using WineFunctions.Data;
using WineFunctions.Samples;

namespace WineFunctions.Training;

/// <summary>A labelled data set ready for training: where it came from and its rows.</summary>
public sealed record TrainingSet(string Source, IReadOnlyList<LabelledMeasurements> Rows)
{
    public IReadOnlyDictionary<QualityClass, int> ClassCounts =>
        QualityClasses.All.ToDictionary(c => c, c => Rows.Count(r => r.Class == c));
}

/// <summary>An upload that cannot be trained on, with every reason found.</summary>
public sealed record TrainingRejection(string Source, IReadOnlyList<string> Reasons);
