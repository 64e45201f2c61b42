using WineFunctions.Models;

namespace WineFunctions.Registry;

/// <summary>What became of an upload to the training prefix.</summary>
public enum TrainingOutcome
{
    /// <summary>The file was refused before training; the reasons say why.</summary>
    Rejected,

    /// <summary>A new version was trained and became the champion.</summary>
    Promoted,

    /// <summary>A new version was trained and registered, but the gate kept the champion.</summary>
    Refused,

    /// <summary>The file passed its checks and waits in the lake for a training worker.</summary>
    Queued,
}

/// <summary>
/// The record of one upload's training, kept at <c>_state/train/{upload key}.json</c> (and, for a
/// rejection, at <c>dead-letters/training/{upload key}.json</c>).
/// </summary>
/// <param name="UploadModified">
/// When the lake last wrote the upload this record is about, by the lake's own clock, looked up just before it
/// was read: an upload written later under the key (a corrected file, during training) is trained again.
/// Null on records kept before it was; for those, <paramref name="At"/> stands in.
/// </param>
public sealed record TrainingRecord(
    string Upload,
    DateTimeOffset At,
    TrainingOutcome Outcome,
    IReadOnlyList<string> Reasons,
    int? Version,
    HeadlineMetrics? Metrics,
    int? Champion,
    DateTimeOffset? UploadModified = null);
