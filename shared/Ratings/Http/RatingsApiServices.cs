using System.Text;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.Tokens;
using WineFunctions.Hosting;
using WineFunctions.Lake;

namespace WineFunctions.Ratings.Http;

/// <summary>The services of the ratings API, the same for the Kestrel host and the Functions worker.</summary>
public static class RatingsApiServices
{
    public const string Section = "Ratings";

    /// <summary>
    /// The ratings-api function's services from its configuration: the lake it sees (<c>Lake</c>,
    /// <c>Zone</c>) and the <c>Ratings</c> settings. A bad setting stops the host at start, naming it.
    /// </summary>
    public static IServiceCollection AddRatingsApi(this IServiceCollection services, IConfiguration configuration, string function)
    {
        RatingsOptions options;
        try
        {
            // The provider by name only: the binder would take "1" for Postgres.
            _ = ConfigurationValues.Enum(configuration.GetSection(Section + ":Database"), "Provider", DatabaseProvider.Sqlite);
            options = configuration.GetSection(Section).Get<RatingsOptions>() ?? new RatingsOptions();
        }
        catch (Exception exception) when (exception is InvalidOperationException or FormatException)
        {
            // A value of the wrong type: the message names the setting.
            throw new SettingsException($"Ratings settings: {exception.Message}");
        }
        // The Functions host says Development only where Core Tools runs it (local.settings.json).
        var environment = configuration["AZURE_FUNCTIONS_ENVIRONMENT"] ?? configuration["DOTNET_ENVIRONMENT"];
        SettingsException.ThrowIfAny("Ratings settings", options.Problems(string.Equals(environment, "Development", StringComparison.OrdinalIgnoreCase)));
        return services.AddFunctionLake(configuration, function).AddRatingsApi(options);
    }

    /// <summary>The ratings API over <paramref name="lake"/> (wine up's Kestrel host).</summary>
    public static IServiceCollection AddRatingsApi(this IServiceCollection services, RatingsOptions options, IObjectStore lake) =>
        services.AddSingleton(lake).AddRatingsApi(options);

    private static IServiceCollection AddRatingsApi(this IServiceCollection services, RatingsOptions options)
    {
        // Bad configuration stops the app at start, naming the settings.
        SettingsException.ThrowIfAny("Ratings settings", options.Problems());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton(sp => options.Database.Open(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<RatingsMetrics>();
        services.AddSingleton<LakeIndexHealth>();
        services.AddSingleton<DistributorDirectory>();
        services.AddSingleton<BatchCache>();
        services.AddSingleton<CardCache>();
        services.AddSingleton(sp => new BatchIndexer(sp.GetRequiredService<IObjectStore>(), sp.GetRequiredService<IRatingsStore>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<BatchIndexer>>(),
            sp.GetRequiredService<RatingsMetrics>(), sp.GetRequiredService<BatchCache>()));
        services.AddSingleton<LakePublisher>();
        services.AddSingleton<RatingsService>();
        services.AddSingleton<RatingsRebuild>();
        services.AddSingleton(_ => new CallerLimiter(options.RateLimit));
        services.AddSingleton<RatingsEndpoints>();
        services.AddHostedService<BatchIndexRefresher>();
        services.AddHostedService<LakePublishing>();
        services.AddProblemDetails();
        // The API's JSON rules (ApiJsonContext) for minimal-API results and the OpenAPI schemas alike,
        // so that the document declares what is served: enums as their names, numbers as numbers.
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
        });
        services.AddResponseCompression(compression => compression.EnableForHttps = true);
        services.AddSingleton<IStartupFilter, ResponseCompressionFirst>();
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
