using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;

namespace WineFunctions.Lambda;

/// <summary>
/// The loop of a custom runtime (<c>provided.al2023</c>): initialise once (a failure is posted as an
/// init error and ends the process), then take invocations one at a time. Whatever the handler
/// throws becomes that invocation's error, and the loop goes on. After each outcome is posted, the
/// invocation's telemetry is flushed, before the next one is asked for (which freezes the environment).
/// </summary>
public sealed partial class LambdaRuntime(LambdaRuntimeClient client, TimeProvider time, ILogger<LambdaRuntime> logger,
    LambdaMetrics? metrics = null, LambdaTelemetry? telemetry = null)
{
    /// <summary>
    /// The handler is cancelled this long before the deadline, so that the error can still be posted
    /// before Lambda stops the environment.
    /// </summary>
    public static readonly TimeSpan DeadlineMargin = TimeSpan.FromMilliseconds(250);

    private const string TraceVariable = "_X_AMZN_TRACE_ID";
    private readonly LambdaMetrics _metrics = metrics ?? new LambdaMetrics();

    /// <returns>The process exit code: 0 when <paramref name="stop"/> ended the loop, 1 after an init error.</returns>
    public async Task<int> RunAsync(Func<CancellationToken, Task<ILambdaHandler>> initialise, CancellationToken stop)
    {
        ILambdaHandler handler;
        try
        {
            handler = await initialise(stop);
        }
        catch (Exception exception) when (!stop.IsCancellationRequested)
        {
            LogInitFailed(exception);
            var type = exception is LambdaConfigurationException ? LambdaErrorTypes.ConfigInvalid : LambdaErrorTypes.UnknownReason;
            await client.ReportInitErrorAsync(type, LambdaError.From(exception), stop);
            return 1;
        }
        try
        {
            while (true)
            {
                var invocation = await client.NextInvocationAsync(stop);
                await InvokeAsync(handler, invocation, stop);
                telemetry?.Flush();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }
    }

    private async Task InvokeAsync(ILambdaHandler handler, LambdaInvocation invocation, CancellationToken stop)
    {
        var context = invocation.Context;
        // The X-Ray SDK and anything that traces reads the current trace from here.
        Environment.SetEnvironmentVariable(TraceVariable, context.TraceId);
        var budget = context.RemainingTime(time) - DeadlineMargin;
        using var deadline = new CancellationTokenSource(budget > TimeSpan.Zero ? budget : TimeSpan.Zero, time);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, stop);
        var started = Stopwatch.GetTimestamp();
        string? errorType = null;
        LambdaError? error = null;
        byte[] response = [];
        try
        {
            response = await handler.HandleAsync(invocation.Event, context, cancellation.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !stop.IsCancellationRequested)
        {
            errorType = LambdaErrorTypes.DeadlineReached;
            error = new LambdaError($"The invocation was cancelled at its deadline {context.Deadline:O} (less {DeadlineMargin.TotalMilliseconds} ms to report it).",
                "DeadlineReached", []);
        }
        catch (Exception exception) when (!stop.IsCancellationRequested)
        {
            errorType = LambdaErrorTypes.Unhandled;
            error = LambdaError.From(exception);
            LogInvocationFailed(exception, context.RequestId);
        }
        var elapsed = Stopwatch.GetElapsedTime(started);
        _metrics.Invoked(error is null, elapsed);
        try
        {
            if (error is null)
            {
                await client.RespondAsync(context.RequestId, response, stop);
                LogInvocationDone(context.RequestId, elapsed.TotalMilliseconds);
            }
            else
            {
                LogInvocationError(context.RequestId, errorType!, error.ErrorMessage, elapsed.TotalMilliseconds);
                await client.ReportInvocationErrorAsync(context.RequestId, errorType!, error, stop);
            }
        }
        catch (LambdaRuntimeApiException refused) when (refused.Status is not HttpStatusCode.InternalServerError)
        {
            // A refused post concerns this invocation only (too large, already answered); a 500 means the container is broken.
            LogPostRefused(refused, context.RequestId);
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Initialisation failed; reported as an init error")]
    private partial void LogInitFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Invocation {RequestId} failed")]
    private partial void LogInvocationFailed(Exception exception, string requestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Invocation {RequestId} answered in {ElapsedMs:F1} ms")]
    private partial void LogInvocationDone(string requestId, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invocation {RequestId} reported as {ErrorType} after {ElapsedMs:F1} ms: {ErrorMessage}")]
    private partial void LogInvocationError(string requestId, string errorType, string errorMessage, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "The Runtime API refused the outcome of invocation {RequestId}")]
    private partial void LogPostRefused(Exception exception, string requestId);
}
