using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;
using WineFunctions.Samples;

namespace WineFunctions.Ratings.Http;

/// <summary>
/// An example of every request and response body in the document, serialized with the API's own
/// JSON rules, so that an example is always what the API really sends or accepts.
/// </summary>
internal static class ApiExamples
{
    private const string Batch = "B-2026-0417";
    private static readonly DateTimeOffset At = new(2026, 11, 30, 9, 15, 0, TimeSpan.Zero);
    private static readonly Offer NearestOffer = new("D-porto-1", "Cave do Porto", "Porto", 3.2, 24, 12.50m);

    private static readonly CatalogueEntry Entry = new(Batch, WineColour.Red, "W-douro", At, QualityClass.Better, 3, 12, 4.25);

    private static readonly Rating Rated = new("0b6f0cf4f1b04b0c9d1f1f6c2c1e9a10", Batch, "dev-customer", 4, "Fresh and fruity", At, Revision: 2);

    private static readonly TasterScore Scored = new("5d1a8f0c2e7b4c6a9b3d2e1f0a9b8c7d", Batch, "dev-taster", 7, "Balanced, long finish", At);

    private static readonly Dictionary<Type, Func<JsonNode?>> Bodies = new()
    {
        [typeof(RatingRequest)] = () => Node(new RatingRequest(4, "Fresh and fruity"), ApiJsonContext.Default.RatingRequest),
        [typeof(TasterScoreRequest)] = () => Node(new TasterScoreRequest(7, "Balanced, long finish"), ApiJsonContext.Default.TasterScoreRequest),
        [typeof(Rating)] = () => Node(Rated, ApiJsonContext.Default.Rating),
        [typeof(TasterScore)] = () => Node(Scored, ApiJsonContext.Default.TasterScore),
        [typeof(RatingsPage)] = () => Node(new RatingsPage([Rated], "MTc2NDQ5NDEwMDAwMC9CLTIwMjYtMDQxNw"), ApiJsonContext.Default.RatingsPage),
        [typeof(TasterScoresPage)] = () => Node(new TasterScoresPage([Scored], null), ApiJsonContext.Default.TasterScoresPage),
        [typeof(CataloguePage)] = () => Node(new CataloguePage([Entry], 1, 0, "MTc2NDQ5NDEwMDAwMC9CLTIwMjYtMDQxNw"), ApiJsonContext.Default.CataloguePage),
        [typeof(BatchCard)] = () => Node(Card(), ApiJsonContext.Default.BatchCard),
        [typeof(BatchOffers)] = () => Node(new BatchOffers(Batch, [NearestOffer]), ApiJsonContext.Default.BatchOffers),
        [typeof(NearbyDistributors)] = () => Node(new NearbyDistributors(
            [new DistributorEntry("D-porto-1", "Cave do Porto", "Porto", 41.1496, -8.6109, 3.2, [new StockLine(Batch, 24, 12.50m)])]), ApiJsonContext.Default.NearbyDistributors),
        [typeof(Recommendations)] = () => Node(new Recommendations("dev-customer", QualityClass.Better, [Batch],
            [new Recommendation("B-2026-0388", WineColour.Red, QualityClass.Better, 0.84, Batch, NearestOffer)]), ApiJsonContext.Default.Recommendations),
        [typeof(Health)] = () => Node(new Health("ok"), ApiJsonContext.Default.Health),
    };

    /// <summary>Sets the example of the operation's request body and of each of its answers.</summary>
    public static void Annotate(OpenApiOperation operation, ApiDescription description)
    {
        if (operation.RequestBody?.Content is { } requestContent &&
            description.ParameterDescriptions.FirstOrDefault(p => p.Source.Id == "Body")?.Type is { } requestType)
        {
            SetExample(requestContent, Bodies.GetValueOrDefault(requestType)?.Invoke());
        }
        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (response.Content is not { } content || !int.TryParse(status, out var code))
            {
                continue;
            }
            var type = description.SupportedResponseTypes.FirstOrDefault(r => r.StatusCode == code)?.Type;
            var example = type == typeof(HttpValidationProblemDetails) ? Problem(code, true)
                : type == typeof(ProblemDetails) ? Problem(code, false)
                : type is null ? null : Bodies.GetValueOrDefault(type)?.Invoke();
            SetExample(content, example);
        }
    }

    private static void SetExample(IDictionary<string, OpenApiMediaType> content, JsonNode? example)
    {
        if (example is null)
        {
            return;
        }
        foreach (var media in content.Values)
        {
            media.Example = example.DeepClone();
        }
    }

    private static JsonNode Problem(int status, bool validation)
    {
        var problem = new JsonObject
        {
            ["type"] = "https://wine-functions.example/problems/" + (validation ? "invalid-request" : "forbidden"),
            ["title"] = validation ? "The request is not valid" : ReasonPhrases.GetReasonPhrase(status),
            ["status"] = status,
            ["detail"] = validation ? "The request breaks the rules named in errors." : "Why the request was refused, for a person to read.",
            ["instance"] = $"/api/v1/batches/{Batch}/ratings",
        };
        if (validation)
        {
            problem["errors"] = new JsonObject { ["stars"] = new JsonArray("stars must be a whole number from 1 to 5") };
        }
        return problem;
    }

    private static BatchCard Card() => new(
        new Batch(Batch, WineColour.Red, "W-douro", At.AddDays(-2), At, 12,
            Measurement.All.Select(m => new MeasurementSummary(m.Field, m.Unit, Math.Round((m.Min + m.Max) / 4, 3), m.Min, Math.Round((m.Min + m.Max) / 2, 3))).ToList(),
            new BatchPrediction(QualityClass.Better, 3, 12, 0)),
        new RatingSummary(12, 4.25, [0, 1, 1, 4, 6]),
        new TasterSummary(3, 7));

    private static JsonNode? Node<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> json) => JsonSerializer.SerializeToNode(value, json);
}
