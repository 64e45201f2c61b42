using WineFunctions.Hosting;

namespace WineFunctions.Ratings;

/// <summary>Who issues the API's bearer tokens (section <c>Ratings:Jwt</c>).</summary>
public sealed record JwtSettings
{
    /// <summary>The <c>iss</c> every token must carry; with <see cref="Authority"/>, also where its signing keys are published.</summary>
    public string? Issuer { get; init; }

    public string Audience { get; init; } = "wine-ratings";

    /// <summary>Production: the OpenID Connect authority whose published keys sign the tokens.</summary>
    public string? Authority { get; init; }

    /// <summary>Development: a base64 HMAC-SHA256 key shared with the development issuer (at least 32 bytes).</summary>
    public string? SigningKey { get; init; }

    /// <summary>
    /// The page's public client at <see cref="Authority"/> (authorization code with PKCE, no secret): set, the page
    /// signs people in there, redirecting back to <c>/web/</c>; unset, the page only browses (or, under wine up, signs in a developer).
    /// </summary>
    public string? PageClientId { get; init; }

    /// <summary>The scopes the page asks the authority for, e.g. the API's own scope when the authority needs one for the audience.</summary>
    public string PageScope { get; init; } = "openid";
}

/// <summary>How many requests each caller (token subject, else address) may make: a token bucket.</summary>
public sealed record RateLimitSettings
{
    public int PerSecond { get; init; } = 20;
    public int Burst { get; init; } = 40;
}

/// <summary>The ratings API's settings (section <c>Ratings</c>); <see cref="Problems"/> names every bad one.</summary>
public sealed record RatingsOptions
{
    public RatingsDatabase Database { get; init; } = new();
    public JwtSettings Jwt { get; init; } = new();
    public RateLimitSettings RateLimit { get; init; } = new();

    /// <summary>How often the batch index looks for new lake objects.</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <param name="development">
    /// Whether the app runs as Development: only then is a shared <see cref="JwtSettings.SigningKey"/>
    /// accepted, since anyone holding it can mint tokens.
    /// </param>
    public IReadOnlyList<string> Problems(bool development = true)
    {
        var problems = new List<string>(Database.Problems());
        if (string.IsNullOrWhiteSpace(Jwt.Issuer))
        {
            problems.Add("Ratings:Jwt:Issuer is required");
        }
        if (string.IsNullOrWhiteSpace(Jwt.Authority) && string.IsNullOrWhiteSpace(Jwt.SigningKey))
        {
            problems.Add("Ratings:Jwt:Authority (production) or Ratings:Jwt:SigningKey (development) is required");
        }
        if (Jwt.SigningKey is { Length: > 0 } key && !IsKey(key))
        {
            problems.Add("Ratings:Jwt:SigningKey must be base64 of at least 32 bytes");
        }
        if (!development && !string.IsNullOrEmpty(Jwt.SigningKey))
        {
            problems.Add("Ratings:Jwt:SigningKey is a development key, refused outside Development (AZURE_FUNCTIONS_ENVIRONMENT): set Ratings:Jwt:Authority");
        }
        if (!string.IsNullOrWhiteSpace(Jwt.Authority))
        {
            // The API fetches the authority's signing keys from it: over plain http anyone on the way could supply their own.
            if (ConfigurationValues.HttpUrl(Jwt.Authority) is not { } authority)
            {
                problems.Add($"Ratings:Jwt:Authority must be an absolute https URL, not '{Jwt.Authority}'");
            }
            else if (!development && authority.Scheme != "https")
            {
                problems.Add("Ratings:Jwt:Authority must use https outside Development (AZURE_FUNCTIONS_ENVIRONMENT)");
            }
        }
        if (!string.IsNullOrWhiteSpace(Jwt.PageClientId) && string.IsNullOrWhiteSpace(Jwt.Authority))
        {
            problems.Add("Ratings:Jwt:PageClientId needs Ratings:Jwt:Authority, where the page signs people in");
        }
        if (string.IsNullOrWhiteSpace(Jwt.PageScope))
        {
            problems.Add("Ratings:Jwt:PageScope must not be empty (default openid)");
        }
        if (RateLimit.PerSecond < 1 || RateLimit.Burst < 1)
        {
            problems.Add("Ratings:RateLimit:PerSecond and Ratings:RateLimit:Burst must be at least 1");
        }
        if (RefreshInterval <= TimeSpan.Zero)
        {
            problems.Add("Ratings:RefreshInterval must be positive");
        }
        return problems;
    }

    private static bool IsKey(string key)
    {
        var bytes = new byte[key.Length];
        return Convert.TryFromBase64String(key, bytes, out var length) && length >= 32;
    }
}
