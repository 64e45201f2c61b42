using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace WineFunctions.Ratings.Http;

/// <summary>
/// The page's one-click sign-in as the dev customer or dev taster, minting with the development signing key.
/// Only the Kestrel host (wine up, tests, benchmark) registers it, and only with a signing key: the Functions app never does.
/// </summary>
public sealed class DevelopmentSignIn(JwtSettings jwt)
{
    public const string Path = "/web/dev-sign-in";

    private readonly DevelopmentIssuer _issuer = new(Convert.FromBase64String(jwt.SigningKey!));

    public IResult SignIn(HttpContext context, string? role)
    {
        if (role is not (DevelopmentIssuer.CustomerRole or DevelopmentIssuer.TasterRole))
        {
            return ApiProblems.Invalid(context, new Dictionary<string, string[]> { ["role"] = ["role must be customer or taster"] });
        }
        var subject = role == DevelopmentIssuer.CustomerRole ? DevelopmentIssuer.DevCustomerId : DevelopmentIssuer.DevTasterId;
        // A token is a credential: never kept by a cache.
        context.Response.Headers.CacheControl = "no-store";
        var token = _issuer.Token(subject, role, issuer: jwt.Issuer, audience: jwt.Audience);
        return TypedResults.Json(new DevelopmentToken(token, subject, role), WebJsonContext.Default.DevelopmentToken);
    }
}

public static class DevelopmentSignInRoutes
{
    /// <summary>Registers the one-click sign-in when the options carry a development signing key.</summary>
    public static IServiceCollection AddDevelopmentSignIn(this IServiceCollection services, RatingsOptions options) =>
        options.Jwt.SigningKey is { Length: > 0 } ? services.AddSingleton(new DevelopmentSignIn(options.Jwt)) : services;

    /// <summary>Maps <c>POST /web/dev-sign-in?role=customer|taster</c> when <see cref="AddDevelopmentSignIn"/> registered it.</summary>
    public static IEndpointRouteBuilder MapDevelopmentSignIn(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetService<DevelopmentSignIn>() is { } signIn)
        {
            app.MapPost(DevelopmentSignIn.Path, (HttpContext c, string? role) => signIn.SignIn(c, role)).ExcludeFromDescription();
        }
        return app;
    }
}
