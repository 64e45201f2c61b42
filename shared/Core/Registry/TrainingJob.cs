namespace WineFunctions.Registry;

/// <summary>A checked upload waiting for a training worker.</summary>
public sealed record TrainingJob(string Upload, string By, DateTimeOffset RequestedAt);

/// <summary>A job request no worker could read, set aside with the reason (<c>_state/train/unreadable-jobs/</c>).</summary>
public sealed record TrainingJobDeadLetter(string JobKey, string Request, string Reason, string Worker, DateTimeOffset At);
