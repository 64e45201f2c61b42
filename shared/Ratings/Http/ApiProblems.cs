using Microsoft.AspNetCore.Http;

namespace WineFunctions.Ratings.Http;

/// <summary>RFC 9457 problem details for every refusal, each with a stable type URI per kind of problem.</summary>
public static class ApiProblems
{
    private const string TypeBase = "https://wine-functions.example/problems/";

    public static IResult Create(HttpContext context, int status, string kind, string title, string detail) =>
        TypedResults.Problem(detail, context.Request.Path, status, title, TypeBase + kind);

    public static IResult Invalid(HttpContext context, IReadOnlyDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, "The request breaks the rules named in errors.", context.Request.Path,
            "The request is not valid", TypeBase + "invalid-request");

    public static IResult NoToken(HttpContext context) =>
        WithChallenge(context, Create(context, 401, "token-required", "A bearer token is required", "Send Authorization: Bearer <token>."));

    public static IResult BadToken(HttpContext context, string? reason) =>
        WithChallenge(context, Create(context, 401, "invalid-token", "The bearer token is not valid", reason ?? "The token was refused."));

    public static IResult Forbidden(HttpContext context, string detail) =>
        Create(context, 403, "forbidden", "Not allowed for this caller", detail);

    public static IResult UnknownBatch(HttpContext context, string batchId) =>
        Create(context, 404, "unknown-batch", "No such batch", $"The lake holds no samples of batch '{Truncate(batchId)}'.");

    public static IResult NoOpinion(HttpContext context, string noun, string batchId) =>
        Create(context, 404, "no-opinion", $"No such {noun}", $"The caller holds no {noun} of batch '{Truncate(batchId)}'.");

    public static IResult NotFound(HttpContext context) =>
        Create(context, 404, "not-found", "Not found", "Nothing is served at this address.");

    public static IResult KeyReused(HttpContext context, string key) =>
        Create(context, 422, "idempotency-key-reused", "Idempotency-Key already used for another request",
            $"The key '{Truncate(key)}' was first sent with a different request; use a new key for a new request.");

    public static IResult TooMany(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "1";
        return Create(context, 429, "rate-limited", "Too many requests", "This caller has made too many requests; retry after a second.");
    }

    private static IResult WithChallenge(HttpContext context, IResult result)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return result;
    }

    private static string Truncate(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
