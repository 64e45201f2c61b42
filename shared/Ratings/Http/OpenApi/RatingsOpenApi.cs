using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace WineFunctions.Ratings.Http;

/// <summary>
/// The OpenAPI document tells the whole contract: who may call what (bearer JWT per operation,
/// anonymous reads marked with an empty requirement), the query and header parameters the shared
/// handlers read, and an example of every body, each a real serialization of the API's types.
/// </summary>
public static class RatingsOpenApi
{
    public const string CatalogueTag = "catalogue";
    public const string RatingsTag = "ratings";
    public const string ScoresTag = "taster scores";
    public const string RecommendationsTag = "recommendations";
    public const string HealthTag = "health";
    private const string Bearer = "bearer";

    public static IServiceCollection AddRatingsOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(openApi =>
        {
            openApi.AddDocumentTransformer((document, _, _) =>
            {
                Describe(document);
                return Task.CompletedTask;
            });
            openApi.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                Secure(operation, context.Document!, metadata.OfType<BearerTokenRequired>().LastOrDefault(), metadata.OfType<IAllowAnonymous>().Any());
                foreach (var parameter in metadata.OfType<ApiParameter>())
                {
                    (operation.Parameters ??= []).Add(parameter.ToOpenApi());
                }
                ApiExamples.Annotate(operation, context.Description);
                return Task.CompletedTask;
            });
            openApi.AddSchemaTransformer((schema, context, _) =>
            {
                // An enum is served as one of its names. ASP.NET lists null among the names of an enum
                // that is nullable somewhere and gives no type, so a nullable use (oneOf null or the enum)
                // matched null twice; where it may be null, the property's own oneOf says so.
                if ((Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type).IsEnum && schema.Enum is { } names)
                {
                    schema.Type = JsonSchemaType.String;
                    schema.Enum = names.Where(name => name is not null).ToList();
                }
                return Task.CompletedTask;
            });
        });

    private static void Describe(OpenApiDocument document)
    {
        document.Info.Title = "WineFunctions ratings API";
        document.Info.Version = "v1";
        document.Info.Description = "Customers browse the catalogue of batches, rate them and get recommendations with offers; professional tasters score them. " +
            "Reads of the catalogue are anonymous; a person's own ratings or scores need their bearer token. Every refusal is an RFC 9457 problem document. " +
            "Guide: docs/ratings-api.md.";
        document.Info.License = new OpenApiLicense { Name = "MIT", Identifier = "MIT" };
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/'); // the paths begin with a slash already
            server.Description ??= "This host, as the request that fetched the document reached it.";
        }
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            [Bearer] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "An access token from the configured OpenID Connect authority (wine up: its development issuer), " +
                    "with sub (the customer's or taster's id) and role (customer or taster).",
            },
        };
        document.Tags = new HashSet<OpenApiTag>
        {
            new() { Name = CatalogueTag, Description = "The batches, their cards and where to buy them: anonymous reads, with ETags for conditional requests." },
            new() { Name = RatingsTag, Description = "A customer's one rating per batch (1-5 stars): rate, change, list, withdraw. Customer token." },
            new() { Name = ScoresTag, Description = "A professional taster's one score per batch (0-10, the UCI sensory scale). Taster token." },
            new() { Name = RecommendationsTag, Description = "Batches like those a customer liked, each with the nearest distributor's offer. Customer token." },
            new() { Name = HealthTag, Description = "Whether the API is up, and whether its lake is readable." },
        };
    }

    private static void Secure(OpenApiOperation operation, OpenApiDocument document, BearerTokenRequired? required, bool anonymous)
    {
        if (required is not null)
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, document)] = [] }];
            operation.Description = $"{operation.Description} Bearer token of a {required.Role}.".Trim();
        }
        else if (anonymous)
        {
            operation.Security = []; // an empty requirement list: no token needed
        }
    }
}
