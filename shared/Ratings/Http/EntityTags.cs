using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace WineFunctions.Ratings.Http;

/// <summary>
/// Conditional reads for phones on metered data: an answer carries a strong ETag (a hash of its
/// JSON), and a request whose If-None-Match names it gets 304 with no body. Caches must revalidate
/// (no-cache), so a rating is never hidden behind a stale copy.
/// </summary>
public static class EntityTags
{
    public static IResult Json<T>(HttpContext context, T value, JsonTypeInfo<T> json)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(value, json);
        var tag = new EntityTagHeaderValue("\"" + Convert.ToHexStringLower(SHA256.HashData(body))[..32] + "\"");
        context.Response.Headers.ETag = tag.ToString();
        context.Response.Headers.CacheControl = "no-cache";
        return Matches(context.Request, tag) ? TypedResults.StatusCode(StatusCodes.Status304NotModified) : TypedResults.Bytes(body, "application/json; charset=utf-8");
    }

    private static bool Matches(HttpRequest request, EntityTagHeaderValue tag) =>
        EntityTagHeaderValue.TryParseList(request.Headers.IfNoneMatch, out var tags) &&
        tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(tag, useStrongComparison: false));
}
