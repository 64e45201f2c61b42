using WineFunctions.Models;

namespace WineFunctions.Registry;

/// <summary>A trained model's files: the ML.NET zip and its ONNX export, stored content-addressed.</summary>
public sealed record ModelFiles(byte[] Model, byte[] Onnx);

/// <summary>The data set a model was trained on: its object key and content hash pin it exactly.</summary>
public sealed record DataSetReference(string Key, string Sha256, int Rows, IReadOnlyDictionary<string, int> Classes, string? HeldOutKey);

/// <summary>
/// Everything needed to trace a model version back to what made it: data, trainer settings,
/// code version, time, evaluation, and the content hashes of its files. Written once, never changed.
/// </summary>
/// <param name="Decision">The cut points that turn the ONNX output into a class wherever the model predicts; null on cards from before them (the most probable class).</param>
/// <param name="Reference">The training set's distribution of each measurement per colour, which predict measures drift against; null on cards from before it.</param>
public sealed record ModelCard(
    int Version,
    DateTimeOffset TrainedAt,
    DataSetReference DataSet,
    TrainerSettings Trainer,
    string CodeVersion,
    HeadlineMetrics Metrics,
    ModelEvaluation Evaluation,
    string ModelKey,
    string OnnxKey,
    DecisionRule? Decision = null,
    IReadOnlyList<MeasurementBins>? Reference = null);

/// <summary>What a promotion decided.</summary>
public enum PromotionOutcome
{
    /// <summary>The candidate became the champion.</summary>
    Promoted,

    /// <summary>The gate kept the champion: the candidate was not better.</summary>
    Refused,

    /// <summary>An earlier version became the champion again.</summary>
    RolledBack,
}

/// <summary>One event of the append-only promotion history.</summary>
public sealed record PromotionEvent(
    int Sequence,
    PromotionOutcome Outcome,
    int Candidate,
    int? PreviousChampion,
    int? Champion,
    string By,
    string Reason,
    DateTimeOffset At,
    HeadlineMetrics? CandidateMetrics,
    HeadlineMetrics? PreviousMetrics);

/// <summary>The <c>champion</c> alias: the version in use, and the promotion that made it so.</summary>
public sealed record ChampionAlias(int Version, int Promotion, DateTimeOffset Since);
