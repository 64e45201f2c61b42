namespace WineFunctions.Samples;

/// <summary>Why a payload is not a valid sample; a payload can have many.</summary>
public enum RejectionCode
{
    PayloadTooLarge,
    MalformedJson,
    NotAnObject,
    DuplicateField,
    MissingField,
    WrongType,
    NotFinite,
    OutOfBounds,
    BadId,
    UnsupportedSchema,
    UnknownWine,
    TimestampNotUtc,
    TimestampInFuture,
    TimestampTooOld,
    Inconsistent,

    /// <summary>The sample names another warehouse than the MQTT topic it came on.</summary>
    ForeignWarehouse,
}

/// <param name="Field">The contract field at fault, or <c>$</c> for the payload as a whole.</param>
public sealed record SampleRejection(string Field, RejectionCode Code, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}

/// <summary>The outcome of validating one payload: a sample, or every reason it was refused.</summary>
public sealed record SampleValidation(WineSample? Sample, IReadOnlyList<SampleRejection> Rejections)
{
    public bool IsValid => Sample is not null && Rejections.Count == 0;
}
