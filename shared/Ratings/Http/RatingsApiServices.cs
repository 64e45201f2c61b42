using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.Tokens;
using WineFunctions.Lake;

namespace WineFunctions.Ratings.Http;

/// <summary>The services of the ratings API, the same for the Kestrel host and the Functions worker.</summary>
public static class RatingsApiServices
{
    public static IServiceCollection AddRatingsApi(this IServiceCollection services, RatingsOptions options, IObjectStore lake)
    {
        if (options.Problems() is { Count: > 0 } problems)
        {
            // Bad configuration stops the app at start, naming the settings.
            throw new InvalidOperationException("Ratings settings: " + string.Join("; ", problems));
        }
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton(lake);
        services.AddSingleton(_ => options.Database.Open());
        services.AddSingleton<RatingsMetrics>();
        services.AddSingleton<DistributorDirectory>();
        services.AddSingleton<BatchCache>();
        services.AddSingleton<CardCache>();
        services.AddSingleton(sp => new BatchIndexer(lake, sp.GetRequiredService<IRatingsStore>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<BatchIndexer>>(),
            sp.GetRequiredService<RatingsMetrics>(), sp.GetRequiredService<BatchCache>()));
        services.AddSingleton<LakePublisher>();
        services.AddSingleton<RatingsService>();
        services.AddSingleton<RatingsRebuild>();
        services.AddSingleton(_ => new CallerLimiter(options.RateLimit));
        services.AddSingleton<RatingsEndpoints>();
        services.AddHostedService<BatchIndexRefresher>();
        services.AddHostedService<LakePublishing>();
        services.AddProblemDetails();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(bearer =>
        {
            bearer.MapInboundClaims = false;
            bearer.Authority = options.Jwt.Authority;
            bearer.RequireHttpsMetadata = options.Jwt.Authority?.StartsWith("https://", StringComparison.Ordinal) ?? true;
            bearer.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = options.Jwt.Issuer,
                ValidAudience = options.Jwt.Audience,
                NameClaimType = "sub",
                RoleClaimType = "role",
                ClockSkew = TimeSpan.FromSeconds(30),
                IssuerSigningKey = options.Jwt.SigningKey is { } key ? new SymmetricSecurityKey(Convert.FromBase64String(key)) : null,
            };
        });
        return services;
    }
}
