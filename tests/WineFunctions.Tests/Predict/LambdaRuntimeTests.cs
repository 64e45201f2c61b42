using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using WineFunctions.Lambda;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Predict;

/// <summary>The runtime loop against a server that speaks the Lambda Runtime API over HTTP.</summary>
public sealed class LambdaRuntimeTests : IAsyncLifetime
{
    private readonly LambdaRuntimeApiServer _server = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 18, 0, 0, TimeSpan.Zero));
    private readonly CancellationTokenSource _stop = new();
    private LambdaRuntimeClient _client = null!;

    public Task InitializeAsync()
    {
        _client = new LambdaRuntimeClient(_server.Endpoint);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private Task<int> Run(ILambdaHandler handler) => Run(_ => Task.FromResult(handler));

    private Task<int> Run(Func<CancellationToken, Task<ILambdaHandler>> initialise) =>
        new LambdaRuntime(_client, _time, NullLogger<LambdaRuntime>.Instance).RunAsync(initialise, _stop.Token);

    [Fact]
    public async Task Success_posts_the_response_and_hands_the_handler_the_documented_context()
    {
        var handler = new DelegateHandler((body, context, _) =>
        {
            var echo = $$"""{"echo":{{Encoding.UTF8.GetString(body.Span)}},"trace":"{{Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID")}}"}""";
            return Task.FromResult(Encoding.UTF8.GetBytes(echo));
        });
        var loop = Run(handler);
        var invocation = new QueuedInvocation("8476a536-e9f4-11e8-9739-2dfe598c3fcd", """{"n":1}""", _time.GetUtcNow().AddMinutes(1),
            ClientContext: """{"client":{"app_title":"cellar"}}""", CognitoIdentity: """{"cognitoIdentityId":"eu-west-1:abc"}""");
        _server.Enqueue(invocation);

        var outcome = await _server.OutcomeAsync(invocation.RequestId);

        Assert.Equal("/2018-06-01/runtime/invocation/8476a536-e9f4-11e8-9739-2dfe598c3fcd/response", outcome.Path);
        Assert.Equal("application/json", outcome.ContentType);
        Assert.Equal($$"""{"echo":{"n":1},"trace":"{{invocation.TraceId}}"}""", outcome.Body);
        var context = Assert.Single(handler.Contexts);
        Assert.Equal(new LambdaContext(invocation.RequestId, invocation.Deadline, invocation.FunctionArn, invocation.TraceId, invocation.ClientContext, invocation.CognitoIdentity), context);
        Assert.Equal(TimeSpan.FromMinutes(1), context.RemainingTime(_time));
        await _stop.CancelAsync();
        Assert.Equal(0, await loop);
    }

    [Fact]
    public async Task A_handler_exception_is_posted_as_the_invocation_error_and_the_loop_goes_on()
    {
        var loop = Run(new DelegateHandler((body, _, _) => body.Span[0] == (byte)'!'
            ? throw new InvalidOperationException("the cask label is unreadable")
            : Task.FromResult(body.ToArray())));
        var failing = _server.Enqueue("!", _time.GetUtcNow().AddMinutes(1));
        var next = _server.Enqueue("""{"ok":true}""", _time.GetUtcNow().AddMinutes(1));

        var error = await _server.OutcomeAsync(failing.RequestId);
        var response = await _server.OutcomeAsync(next.RequestId);

        Assert.True(error.IsError);
        Assert.Equal(LambdaErrorTypes.Unhandled, error.ErrorType);
        var document = JsonDocument.Parse(error.Body).RootElement;
        Assert.Equal("the cask label is unreadable", document.GetProperty("errorMessage").GetString());
        Assert.Equal("InvalidOperationException", document.GetProperty("errorType").GetString());
        Assert.Contains(document.GetProperty("stackTrace").EnumerateArray(), line => line.GetString()!.Contains(nameof(LambdaRuntimeTests)));
        Assert.Equal("""{"ok":true}""", response.Body);
        Assert.False(loop.IsCompleted);
    }

    [Fact]
    public async Task An_init_failure_is_posted_to_init_error_and_ends_the_runtime()
    {
        var exitCode = await Run(_ => throw new LambdaConfigurationException("Lake:S3:Bucket is required when Lake:Kind is S3"));

        var error = await _server.InitErrorAsync();
        Assert.Equal(1, exitCode);
        Assert.Equal("/2018-06-01/runtime/init/error", error.Path);
        Assert.Equal(LambdaErrorTypes.ConfigInvalid, error.ErrorType);
        var document = JsonDocument.Parse(error.Body).RootElement;
        Assert.Equal("Lake:S3:Bucket is required when Lake:Kind is S3", document.GetProperty("errorMessage").GetString());
        Assert.Equal("LambdaConfigurationException", document.GetProperty("errorType").GetString());
        Assert.Equal(0, _server.NextCalls);
    }

    [Fact]
    public async Task The_handler_is_cancelled_at_the_deadline_and_the_error_is_posted()
    {
        var started = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var loop = Run(new DelegateHandler(async (_, _, cancellationToken) =>
        {
            started.SetResult(cancellationToken);
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return [];
        }));
        var invocation = _server.Enqueue("{}", _time.GetUtcNow().AddSeconds(30));
        var token = await started.Task.WaitAsync(TimeSpan.FromSeconds(60));

        _time.Advance(TimeSpan.FromSeconds(30) - LambdaRuntime.DeadlineMargin - TimeSpan.FromMilliseconds(1));
        Assert.False(token.IsCancellationRequested);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(token.IsCancellationRequested);

        var error = await _server.OutcomeAsync(invocation.RequestId);
        Assert.True(error.IsError);
        Assert.Equal(LambdaErrorTypes.DeadlineReached, error.ErrorType);
        Assert.Contains("deadline", JsonDocument.Parse(error.Body).RootElement.GetProperty("errorMessage").GetString());
        Assert.False(loop.IsCompleted);
    }

    private sealed class DelegateHandler(Func<ReadOnlyMemory<byte>, LambdaContext, CancellationToken, Task<byte[]>> handle) : ILambdaHandler
    {
        public List<LambdaContext> Contexts { get; } = [];

        public Task<byte[]> HandleAsync(ReadOnlyMemory<byte> invocationEvent, LambdaContext context, CancellationToken cancellationToken)
        {
            Contexts.Add(context);
            return handle(invocationEvent, context, cancellationToken);
        }
    }
}
