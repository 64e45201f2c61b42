using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace WineFunctions.Tests.Ratings.Client;

/// <summary>
/// Checks every request a client sends and every answer it gets against the served OpenAPI
/// document: the operation exists, its query parameters are declared, the status is one the
/// operation declares, and each body validates against its declared schema (JSON Schema 2020-12,
/// as OpenAPI 3.1 is, by JsonSchema.Net).
/// </summary>
internal sealed class OpenApiConformance : DelegatingHandler
{
    private static readonly Uri DocumentUri = new("https://ratings.test/openapi.json");
    private readonly JsonNode _document;
    private readonly EvaluationOptions _options;

    public OpenApiConformance(JsonNode document, HttpMessageHandler inner) : base(inner)
    {
        _document = document;
        _options = new EvaluationOptions { OutputFormat = OutputFormat.List };
        _options.SchemaRegistry.Register(new JsonNodeBaseDocument(document, DocumentUri));
    }

    /// <summary>Every exchange as "METHOD /path/template status", in order.</summary>
    public List<string> Exchanges { get; } = [];

    public List<string> Problems { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var (template, operation) = Operation(request);
        var requestBody = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        if (operation is not null)
        {
            CheckRequest(template!, operation, request, requestBody);
        }
        var response = await base.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var label = $"{request.Method} {template ?? request.RequestUri!.AbsolutePath} {(int)response.StatusCode}";
        Exchanges.Add(label);
        if (operation is not null)
        {
            CheckResponse(label, operation, response, body);
        }
        // The body was read here; the client reads this copy.
        var copy = new ByteArrayContent(body);
        foreach (var header in response.Content.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        response.Content = copy;
        return response;
    }

    private (string? Template, JsonObject? Operation) Operation(HttpRequestMessage request)
    {
        var path = request.RequestUri!.AbsolutePath;
        foreach (var (template, item) in _document["paths"]!.AsObject())
        {
            var pattern = "^" + Regex.Replace(Regex.Escape(template), @"\\\{[^}]+}", "[^/]+") + "$";
            if (Regex.IsMatch(path, pattern))
            {
                if (item![request.Method.Method.ToLowerInvariant()] is JsonObject operation)
                {
                    return (template, operation);
                }
                Problems.Add($"{request.Method} {template}: the document has no such operation");
                return (template, null);
            }
        }
        Problems.Add($"{request.Method} {path}: no path of the document matches");
        return (null, null);
    }

    private void CheckRequest(string template, JsonObject operation, HttpRequestMessage request, string? body)
    {
        var declared = (operation["parameters"]?.AsArray() ?? []).Select(p => ((string)p!["in"]!, (string)p["name"]!)).ToHashSet();
        var query = System.Web.HttpUtility.ParseQueryString(request.RequestUri!.Query);
        foreach (var name in query.AllKeys.OfType<string>().Where(name => !declared.Contains(("query", name))))
        {
            Problems.Add($"{request.Method} {template}: query parameter {name} is not declared");
        }
        if (body is null)
        {
            if (operation["requestBody"]?["required"]?.GetValue<bool>() == true)
            {
                Problems.Add($"{request.Method} {template}: the document requires a body, none was sent");
            }
            return;
        }
        var media = request.Content!.Headers.ContentType?.MediaType ?? "";
        if (operation["requestBody"]?["content"]?[media]?["schema"] is not { } schema)
        {
            Problems.Add($"{request.Method} {template}: a {media} body is not declared");
            return;
        }
        Validate($"{request.Method} {template} request", schema, body);
    }

    private void CheckResponse(string label, JsonObject operation, HttpResponseMessage response, byte[] body)
    {
        var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation["responses"]?[status] is not { } declared)
        {
            Problems.Add($"{label}: the status is not declared");
            return;
        }
        if (body.Length == 0)
        {
            return;
        }
        var media = response.Content.Headers.ContentType?.MediaType ?? "";
        if (declared["content"]?[media]?["schema"] is not { } schema)
        {
            Problems.Add($"{label}: a {media} answer is not declared");
            return;
        }
        Validate(label, schema, System.Text.Encoding.UTF8.GetString(body));
    }

    private void Validate(string label, JsonNode schema, string json)
    {
        // The document's own references (#/components/...) resolve in the registered document.
        var text = schema.ToJsonString().Replace("\"#/", $"\"{DocumentUri}#/", StringComparison.Ordinal);
        var result = JsonSchema.FromText(text).Evaluate(JsonNode.Parse(json), _options);
        if (!result.IsValid)
        {
            var errors = (result.Details ?? []).Where(d => d.HasErrors)
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"));
            Problems.Add($"{label}: {string.Join("; ", errors)} in {json}");
        }
    }
}

