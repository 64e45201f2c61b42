using System.Text.Json;
using System.Text.Json.Serialization;

namespace WineFunctions.Ratings.Http;

/// <summary>
/// How the page signs people in, served as <c>/web/config.json</c>: <c>development</c> (one click as the dev
/// customer or taster, wine up's Kestrel host only), <c>oidc</c> (the configured authority, code flow with PKCE)
/// or <c>none</c> (browse only).
/// </summary>
public sealed record WebConfig(string SignIn, string? Authority = null, string? ClientId = null, string? Scope = null)
{
    public const string Development = "development";
    public const string Oidc = "oidc";
    public const string None = "none";

    public static WebConfig For(JwtSettings jwt, bool developmentSignIn) =>
        developmentSignIn ? new WebConfig(Development)
        : jwt is { Authority: { Length: > 0 } authority, PageClientId: { Length: > 0 } client } ? new WebConfig(Oidc, authority.TrimEnd('/'), client, jwt.PageScope)
        : new WebConfig(None);

    /// <summary>Where the page may fetch from besides itself: the authority's discovery and token endpoints (the CSP's connect-src).</summary>
    public string? AuthorityOrigin() => Authority is null ? null : new Uri(Authority).GetLeftPart(UriPartial.Authority);
}

/// <summary>A development token the one-click sign-in minted.</summary>
public sealed record DevelopmentToken(string AccessToken, string Subject, string Role);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WebConfig))]
[JsonSerializable(typeof(DevelopmentToken))]
internal sealed partial class WebJsonContext : JsonSerializerContext;
