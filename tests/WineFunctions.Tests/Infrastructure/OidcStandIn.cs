using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace WineFunctions.Tests.Infrastructure;

/// <summary>
/// A stand-in OpenID Connect authority on real Kestrel: a discovery document, a JWKS with the RSA key it signs with,
/// an authorize endpoint that signs one person in without a form and redirects back with a code, and a token endpoint
/// that gives the access token only for the code_verifier whose SHA-256 is the code_challenge (RFC 7636, S256).
/// </summary>
public sealed class OidcStandIn : IAsyncDisposable
{
    public const string ClientId = "wine-page";
    private const string KeyId = "stand-in-1";

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, (string Challenge, string RedirectUri)> _codes = new();
    private readonly ConcurrentQueue<IReadOnlyDictionary<string, string>> _authorizations = new();
    private readonly string _subject;
    private readonly string _role;
    private LoopbackWebApp? _app;
    private int _tokens;

    private OidcStandIn(string subject, string role)
    {
        _subject = subject;
        _role = role;
    }

    public string Url { get; private set; } = "";

    /// <summary>The one redirect address the page's client may use (the page's <c>/web/</c>), known once the API listens.</summary>
    public string? RedirectUri { get; set; }

    /// <summary>The query of every authorize request, in order.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Authorizations => [.. _authorizations];

    public int TokensIssued => _tokens;

    public static async Task<OidcStandIn> StartAsync(string subject, string role)
    {
        var standIn = new OidcStandIn(subject, role);
        standIn._app = await LoopbackWebApp.StartAsync(app =>
        {
            app.MapGet("/.well-known/openid-configuration", (HttpContext c) => standIn.Discovery(c));
            app.MapGet("/jwks", (HttpContext c) => standIn.Keys(c));
            app.MapGet("/authorize", (HttpContext c) => standIn.Authorize(c));
            app.MapPost("/token", (HttpRequest request) => standIn.TokenAsync(request.HttpContext));
        });
        standIn.Url = standIn._app.Url;
        return standIn;
    }

    private IResult Discovery(HttpContext context) => Json(context, new JsonObject
    {
        ["issuer"] = Url,
        ["authorization_endpoint"] = Url + "/authorize",
        ["token_endpoint"] = Url + "/token",
        ["jwks_uri"] = Url + "/jwks",
        ["response_types_supported"] = new JsonArray("code"),
        ["subject_types_supported"] = new JsonArray("public"),
        ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
        ["code_challenge_methods_supported"] = new JsonArray("S256"),
    });

    private IResult Keys(HttpContext context)
    {
        var key = _rsa.ExportParameters(includePrivateParameters: false);
        return Json(context, new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = KeyId,
                ["n"] = Base64UrlEncoder.Encode(key.Modulus), ["e"] = Base64UrlEncoder.Encode(key.Exponent),
            }),
        });
    }

    private IResult Authorize(HttpContext context)
    {
        var query = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString());
        _authorizations.Enqueue(query);
        string Get(string name) => query.GetValueOrDefault(name, "");
        if (Get("response_type") != "code" || Get("client_id") != ClientId || Get("redirect_uri") != RedirectUri
            || Get("code_challenge_method") != "S256" || Get("code_challenge").Length != 43)
        {
            return TypedResults.BadRequest("not a code request with PKCE (S256) from the registered client");
        }
        var code = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));
        _codes[code] = (Get("code_challenge"), Get("redirect_uri"));
        return TypedResults.Redirect($"{Get("redirect_uri")}?code={code}&state={Uri.EscapeDataString(Get("state"))}");
    }

    private async Task<IResult> TokenAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        var verifier = form["code_verifier"].ToString();
        if (form["grant_type"] != "authorization_code" || form["client_id"] != ClientId || !_codes.TryRemove(form["code"].ToString(), out var grant)
            || form["redirect_uri"] != grant.RedirectUri || Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) != grant.Challenge)
        {
            return Json(context, new JsonObject { ["error"] = "invalid_grant" }, StatusCodes.Status400BadRequest);
        }
        Interlocked.Increment(ref _tokens);
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Url,
            Audience = "wine-ratings",
            Subject = new ClaimsIdentity([new Claim("sub", _subject), new Claim("role", _role)]),
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(_rsa) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256),
        });
        return Json(context, new JsonObject { ["access_token"] = token, ["token_type"] = "Bearer", ["expires_in"] = 3600 });
    }

    /// <summary>JSON any page may read: the browser fetches discovery and the token from the page's own origin.</summary>
    private static IResult Json(HttpContext context, JsonObject body, int status = StatusCodes.Status200OK)
    {
        context.Response.Headers.AccessControlAllowOrigin = "*";
        return TypedResults.Content(body.ToJsonString(), "application/json", Encoding.UTF8, status);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        _rsa.Dispose();
    }
}
