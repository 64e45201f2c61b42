using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace WineFunctions.Ratings.Http;

/// <summary>
/// Issues development tokens signed with a key made at start (HMAC-SHA256), for <c>wine up</c>
/// and the tests. Production tokens come from the configured authority instead.
/// </summary>
public sealed class DevelopmentIssuer
{
    public const string IssuerName = "https://wine-dev-issuer.local";
    public const string CustomerRole = "customer";
    public const string TasterRole = "taster";

    /// <summary>The developer's identities: wine up prints their tokens and the page signs in as them with one click.</summary>
    public const string DevCustomerId = "dev-customer";
    public const string DevTasterId = "dev-taster";

    private readonly byte[] _key;

    public DevelopmentIssuer(byte[]? key = null)
    {
        _key = key ?? RandomNumberGenerator.GetBytes(32);
    }

    public JwtSettings Settings => new() { Issuer = IssuerName, SigningKey = Convert.ToBase64String(_key) };

    public string Token(string subject, string role, TimeSpan? lifetime = null, string? issuer = null, string audience = "wine-ratings", byte[]? key = null)
    {
        // The wall clock, not a TimeProvider: the JWT handler checks lifetimes against it.
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? IssuerName,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("role", role)]),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (lifetime ?? TimeSpan.FromDays(7)),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key ?? _key), SecurityAlgorithms.HmacSha256),
        });
    }

    public string CustomerToken(string customerId) => Token(customerId, CustomerRole);

    public string TasterToken(string tasterId) => Token(tasterId, TasterRole);
}
