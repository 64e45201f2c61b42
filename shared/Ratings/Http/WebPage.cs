using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace WineFunctions.Ratings.Http;

/// <summary>
/// The page for people without the mobile app: three embedded files under <c>/web/</c> and its sign-in
/// settings (<c>/web/config.json</c>), served by either host.
/// </summary>
public static class WebPage
{
    public const string Path = "/web/";
    public const string ConfigFile = "config.json";

    private static readonly Dictionary<string, (byte[] Content, string ContentType)> Files = new(StringComparer.Ordinal)
    {
        [""] = (Read("index.html"), "text/html; charset=utf-8"),
        ["index.html"] = (Read("index.html"), "text/html; charset=utf-8"),
        ["app.js"] = (Read("app.js"), "text/javascript; charset=utf-8"),
        ["app.css"] = (Read("app.css"), "text/css; charset=utf-8"),
    };

    public static IResult Serve(HttpContext context, string? file)
    {
        var config = WebConfig.For(context.RequestServices.GetRequiredService<RatingsOptions>().Jwt,
            context.RequestServices.GetService<DevelopmentSignIn>() is not null);
        if (file == ConfigFile)
        {
            context.Response.Headers.CacheControl = "no-cache";
            return TypedResults.Json(config, WebJsonContext.Default.WebConfig);
        }
        if (!Files.TryGetValue(file ?? "", out var found))
        {
            return ApiProblems.NotFound(context);
        }
        context.Response.Headers.CacheControl = "no-cache";
        // Nothing inline and nothing foreign, except fetching the authority's discovery and token endpoints when it signs people in.
        var connect = config.AuthorityOrigin is { } origin ? $"; connect-src 'self' {origin}" : "";
        context.Response.Headers.ContentSecurityPolicy = $"default-src 'self'{connect}; frame-ancestors 'none'";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.Bytes(found.Content, found.ContentType);
    }

    private static byte[] Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("ratings-web/" + name)
            ?? throw new InvalidOperationException($"the web page's {name} is not embedded");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
