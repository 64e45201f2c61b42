using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace WineFunctions.Lambda;

/// <summary>
/// The Lambda Runtime API (version 2018-06-01) as documented for custom runtimes: next invocation,
/// invocation response, invocation error and init error, on the endpoint in <c>AWS_LAMBDA_RUNTIME_API</c>.
/// </summary>
public sealed class LambdaRuntimeClient : IDisposable
{
    public const string EndpointVariable = "AWS_LAMBDA_RUNTIME_API";
    private const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient _http;

    /// <param name="endpoint">host:port, the value of <c>AWS_LAMBDA_RUNTIME_API</c>.</param>
    public LambdaRuntimeClient(string endpoint)
    {
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false })
        {
            BaseAddress = new Uri($"http://{endpoint}/2018-06-01/runtime/"),
            // The next-invocation call waits as long as there is no event (the environment may even be frozen meanwhile).
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public async Task<LambdaInvocation> NextInvocationAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync("invocation/next", cancellationToken);
        await EnsureAcceptedAsync(response, "next invocation", cancellationToken);
        var headers = response.Headers;
        var requestId = Header(headers, "Lambda-Runtime-Aws-Request-Id")
            ?? throw new LambdaRuntimeApiException("the next invocation has no Lambda-Runtime-Aws-Request-Id header");
        var deadlineMs = Header(headers, "Lambda-Runtime-Deadline-Ms");
        if (!long.TryParse(deadlineMs, NumberStyles.None, CultureInfo.InvariantCulture, out var deadline))
        {
            throw new LambdaRuntimeApiException($"invocation {requestId}: Lambda-Runtime-Deadline-Ms '{deadlineMs}' is not a Unix time in milliseconds");
        }
        var context = new LambdaContext(
            requestId,
            DateTimeOffset.FromUnixTimeMilliseconds(deadline),
            Header(headers, "Lambda-Runtime-Invoked-Function-Arn") ?? "",
            Header(headers, "Lambda-Runtime-Trace-Id"),
            Header(headers, "Lambda-Runtime-Client-Context"),
            Header(headers, "Lambda-Runtime-Cognito-Identity"));
        return new LambdaInvocation(context, await response.Content.ReadAsByteArrayAsync(cancellationToken));
    }

    public async Task RespondAsync(string requestId, byte[] body, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        using var response = await _http.PostAsync($"invocation/{Uri.EscapeDataString(requestId)}/response", content, cancellationToken);
        await EnsureAcceptedAsync(response, $"response to {requestId}", cancellationToken);
    }

    public Task ReportInvocationErrorAsync(string requestId, string errorType, LambdaError error, CancellationToken cancellationToken) =>
        PostErrorAsync($"invocation/{Uri.EscapeDataString(requestId)}/error", errorType, error, $"error of {requestId}", cancellationToken);

    public Task ReportInitErrorAsync(string errorType, LambdaError error, CancellationToken cancellationToken) =>
        PostErrorAsync("init/error", errorType, error, "init error", cancellationToken);

    private async Task PostErrorAsync(string path, string errorType, LambdaError error, string what, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(error, LambdaJsonContext.Default.LambdaError));
        content.Headers.ContentType = Json;
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Add(ErrorTypeHeader, errorType);
        using var response = await _http.SendAsync(request, cancellationToken);
        await EnsureAcceptedAsync(response, what, cancellationToken);
    }

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static async Task EnsureAcceptedAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        throw new LambdaRuntimeApiException($"the Runtime API refused the {what}: {(int)response.StatusCode} {body}", response.StatusCode);
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>The Runtime API refused a call; a 500 means the container is broken and the runtime must exit.</summary>
public sealed class LambdaRuntimeApiException(string message, HttpStatusCode? status = null) : Exception(message)
{
    public HttpStatusCode? Status { get; } = status;
}
