using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Threading.Channels;
using WineFunctions.Mqtt;

namespace WineFunctions.Tests.Infrastructure;

/// <summary>What a runtime posted for an invocation (or for its init).</summary>
public sealed record PostedOutcome(string Path, string Body, string? ErrorType, string? ContentType)
{
    public bool IsError => Path.EndsWith("/error", StringComparison.Ordinal);
}

/// <summary>An invocation the server hands out, with the documented next-invocation headers.</summary>
public sealed record QueuedInvocation(string RequestId, string Event, DateTimeOffset Deadline,
    string FunctionArn = "arn:aws:lambda:eu-west-1:123456789012:function:wine-predict",
    string? TraceId = "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1",
    string? ClientContext = null, string? CognitoIdentity = null);

/// <summary>
/// The Lambda Runtime API (2018-06-01) as documented, over real HTTP on a loopback port: GET
/// runtime/invocation/next hands out queued invocations (waiting while there is none), and the
/// response, invocation error and init error posts are recorded; a post for an unknown request id gets 400.
/// </summary>
public sealed class LambdaRuntimeApiServer : IAsyncDisposable
{
    private const string Base = "/2018-06-01/runtime/";
    private readonly HttpListener _listener = new();
    private readonly Channel<QueuedInvocation> _queue = Channel.CreateUnbounded<QueuedInvocation>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<PostedOutcome>> _outcomes = new();
    private readonly TaskCompletionSource<PostedOutcome> _initError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;
    private int _nextCalls;

    public LambdaRuntimeApiServer()
    {
        Port = EmbeddedMqttBroker.FreeLoopbackPort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = ServeAsync();
    }

    public int Port { get; }

    /// <summary>The value for <c>AWS_LAMBDA_RUNTIME_API</c>.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>How many next-invocation calls arrived, answered or still waiting.</summary>
    public int NextCalls => Volatile.Read(ref _nextCalls);

    public QueuedInvocation Enqueue(string eventJson, DateTimeOffset deadline)
    {
        var invocation = new QueuedInvocation(Guid.NewGuid().ToString(), eventJson, deadline);
        Enqueue(invocation);
        return invocation;
    }

    public void Enqueue(QueuedInvocation invocation)
    {
        _outcomes[invocation.RequestId] = new TaskCompletionSource<PostedOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Writer.TryWrite(invocation);
    }

    public Task<PostedOutcome> OutcomeAsync(string requestId) => _outcomes[requestId].Task.WaitAsync(TimeSpan.FromSeconds(60));

    public Task<PostedOutcome> InitErrorAsync() => _initError.Task.WaitAsync(TimeSpan.FromSeconds(60));

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            // Next-invocation calls wait for an event, so each request gets its own task.
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var path = request.Url!.AbsolutePath;
        try
        {
            if (request.HttpMethod == "GET" && path == Base + "invocation/next")
            {
                Interlocked.Increment(ref _nextCalls);
                var invocation = await _queue.Reader.ReadAsync(_stop.Token);
                response.Headers["Lambda-Runtime-Aws-Request-Id"] = invocation.RequestId;
                response.Headers["Lambda-Runtime-Deadline-Ms"] = invocation.Deadline.ToUnixTimeMilliseconds().ToString();
                response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = invocation.FunctionArn;
                SetOptional(response, "Lambda-Runtime-Trace-Id", invocation.TraceId);
                SetOptional(response, "Lambda-Runtime-Client-Context", invocation.ClientContext);
                SetOptional(response, "Lambda-Runtime-Cognito-Identity", invocation.CognitoIdentity);
                await WriteAsync(response, 200, invocation.Event);
                return;
            }
            if (request.HttpMethod == "POST" && path == Base + "init/error")
            {
                _initError.TrySetResult(await ReadOutcomeAsync(request, path));
                await WriteAsync(response, 202, """{"status":"OK"}""");
                return;
            }
            var parts = path.StartsWith(Base + "invocation/", StringComparison.Ordinal) ? path[(Base.Length + "invocation/".Length)..].Split('/') : [];
            if (request.HttpMethod == "POST" && parts is [var requestId, "response" or "error"])
            {
                if (!_outcomes.TryGetValue(Uri.UnescapeDataString(requestId), out var outcome) || outcome.Task.IsCompleted)
                {
                    await WriteAsync(response, 400, """{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}""");
                    return;
                }
                outcome.TrySetResult(await ReadOutcomeAsync(request, path));
                await WriteAsync(response, 202, """{"status":"OK"}""");
                return;
            }
            await WriteAsync(response, 404, """{"errorMessage":"Not found","errorType":"NotFound"}""");
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
            response.Abort();
        }
    }

    private static async Task<PostedOutcome> ReadOutcomeAsync(HttpListenerRequest request, string path)
    {
        using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
        return new PostedOutcome(path, await reader.ReadToEndAsync(), request.Headers["Lambda-Runtime-Function-Error-Type"], request.ContentType);
    }

    private static void SetOptional(HttpListenerResponse response, string header, string? value)
    {
        if (value is not null)
        {
            response.Headers[header] = value;
        }
    }

    private static async Task WriteAsync(HttpListenerResponse response, int status, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Close();
        await _serving;
        _stop.Dispose();
    }
}
