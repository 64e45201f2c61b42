namespace WineFunctions.Training;

/// <summary>Where the train-trigger sends an upload (configuration <c>Training:Target</c>).</summary>
public enum TrainingTarget
{
    /// <summary>Train in the function itself: fine for data sets the size of the UCI data (seconds).</summary>
    InProcess,

    /// <summary>Write a job request to the lake for a training worker, e.g. near GPUs in another cloud.</summary>
    Worker,
}

/// <summary>Where uploads are trained (<c>Training:Target</c>).</summary>
public sealed record TrainingDispatch(TrainingTarget Target);
