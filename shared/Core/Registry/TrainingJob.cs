namespace WineFunctions.Registry;

/// <summary>A checked upload waiting for a training worker.</summary>
public sealed record TrainingJob(string Upload, string By, DateTimeOffset RequestedAt);
