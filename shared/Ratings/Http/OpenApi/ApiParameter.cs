using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.OpenApi;

namespace WineFunctions.Ratings.Http;

/// <summary>
/// A query or header parameter that a shared handler reads from the request itself (the Functions
/// triggers pass it the raw request), declared as endpoint metadata so the document lists it.
/// </summary>
public sealed record ApiParameter(string Name, ParameterLocation In, JsonSchemaType Type, string Description,
    string[]? Values = null, double? Minimum = null, double? Maximum = null, JsonNode? Example = null)
{
    public static ApiParameter Query(string name, JsonSchemaType type, string description, string[]? values = null, double? minimum = null, double? maximum = null,
        JsonNode? example = null) =>
        new(name, ParameterLocation.Query, type, description, values, minimum, maximum, example);

    public static ApiParameter Header(string name, string description) => new(name, ParameterLocation.Header, JsonSchemaType.String, description);

    public IOpenApiParameter ToOpenApi() => new OpenApiParameter
    {
        Name = Name,
        In = In,
        Description = Description,
        Required = false,
        Example = Example,
        Schema = new OpenApiSchema
        {
            Type = Type,
            Format = Type == JsonSchemaType.Integer ? "int32" : Type == JsonSchemaType.Number ? "double" : null,
            Enum = Values?.Select(v => (JsonNode)JsonValue.Create(v)).ToList(),
            Minimum = Minimum?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Maximum = Maximum?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        },
    };
}

public static class ApiParameterConventions
{
    public static TBuilder WithParameters<TBuilder>(this TBuilder builder, params ApiParameter[] parameters) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata([.. parameters]);
}
