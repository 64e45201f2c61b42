namespace WineFunctions.Lambda;

/// <summary>What the Runtime API says about one invocation, from the headers of its next-invocation response.</summary>
public sealed record LambdaContext(
    string RequestId,
    DateTimeOffset Deadline,
    string FunctionArn,
    string? TraceId,
    string? ClientContext,
    string? CognitoIdentity)
{
    /// <summary>Time left before Lambda stops the invocation; zero once the deadline has passed.</summary>
    public TimeSpan RemainingTime(TimeProvider time)
    {
        var left = Deadline - time.GetUtcNow();
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }
}

/// <summary>One invocation: its event (the JSON document the trigger sent) and its context.</summary>
public sealed record LambdaInvocation(LambdaContext Context, byte[] Event);

/// <summary>The function's code: turns one invocation event into its response document.</summary>
public interface ILambdaHandler
{
    /// <returns>The response, a UTF-8 JSON document.</returns>
    Task<byte[]> HandleAsync(ReadOnlyMemory<byte> invocationEvent, LambdaContext context, CancellationToken cancellationToken);
}

/// <summary>A setting is missing or wrong: reported to Lambda as <c>Runtime.ConfigInvalid</c> at init.</summary>
public sealed class LambdaConfigurationException(string message) : Exception(message);
