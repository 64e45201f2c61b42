using System.Text.Json.Serialization;

namespace WineFunctions.Lambda;

/// <summary>The documented error document of the Runtime API's invocation and init error calls.</summary>
public sealed record LambdaError(
    [property: JsonPropertyName("errorMessage")] string ErrorMessage,
    [property: JsonPropertyName("errorType")] string ErrorType,
    [property: JsonPropertyName("stackTrace")] IReadOnlyList<string> StackTrace)
{
    /// <summary>The exception's message and type; the stack trace of it and its inner exceptions, one line each.</summary>
    public static LambdaError From(Exception exception) => new(
        exception.Message,
        exception.GetType().Name,
        exception.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1).ToArray());
}

/// <summary>Values of the <c>Lambda-Runtime-Function-Error-Type</c> header, in the documented Category.Reason form.</summary>
public static class LambdaErrorTypes
{
    public const string ConfigInvalid = "Runtime.ConfigInvalid";
    public const string UnknownReason = "Runtime.UnknownReason";
    public const string Unhandled = "Function.Unhandled";
    public const string DeadlineReached = "Function.DeadlineReached";
}

[JsonSerializable(typeof(LambdaError))]
internal sealed partial class LambdaJsonContext : JsonSerializerContext;
