namespace WineFunctions.Samples;

/// <summary>A sample with the 0-10 quality score it is labelled with (a training set's row).</summary>
public sealed record LabelledSample(WineSample Sample, int Quality)
{
    public QualityClass Class => QualityClasses.FromScore(Quality);
}
