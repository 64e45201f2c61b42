using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace WineFunctions.Ratings.Http;

/// <summary>
/// The page for people without the mobile app: embedded files under <c>/web/</c> and its sign-in
/// settings (<c>/web/config.json</c>), served by either host.
/// </summary>
public static class WebPage
{
    public const string Path = "/web/";
    public const string ConfigFile = "config.json";

    private const string Prefix = "ratings-web/";

    // Every embedded file of Web/ (the page and its modules) by its name.
    private static readonly Dictionary<string, (byte[] Content, string ContentType)> Files = Assembly.GetExecutingAssembly().GetManifestResourceNames()
        .Where(name => name.StartsWith(Prefix, StringComparison.Ordinal))
        .Select(name => name[Prefix.Length..])
        .ToDictionary(name => name, name => (Read(name), ContentType(name)), StringComparer.Ordinal);

    public static IResult Serve(HttpContext context, string? file)
    {
        var config = WebConfig.For(context.RequestServices.GetRequiredService<RatingsOptions>().Jwt,
            context.RequestServices.GetService<DevelopmentSignIn>() is not null);
        if (file == ConfigFile)
        {
            context.Response.Headers.CacheControl = "no-cache";
            return TypedResults.Json(config, WebJsonContext.Default.WebConfig);
        }
        if (!Files.TryGetValue(string.IsNullOrEmpty(file) ? "index.html" : file, out var found))
        {
            return ApiProblems.NotFound(context);
        }
        context.Response.Headers.CacheControl = "no-cache";
        // Nothing inline and nothing foreign, except fetching the authority's discovery and token endpoints when it signs people in.
        var connect = config.AuthorityOrigin() is { } origin ? $"; connect-src 'self' {origin}" : "";
        context.Response.Headers.ContentSecurityPolicy = $"default-src 'self'{connect}; frame-ancestors 'none'";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.Bytes(found.Content, found.ContentType);
    }

    private static string ContentType(string name) => System.IO.Path.GetExtension(name) switch
    {
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        _ => "text/html; charset=utf-8",
    };

    private static byte[] Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(Prefix + name)
            ?? throw new InvalidOperationException($"the web page's {name} is not embedded");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
