using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace WineFunctions.Ratings.Http;

/// <summary>The Kestrel routes: each one calls the <see cref="RatingsEndpoints"/> handler a Functions trigger calls too.</summary>
public static class RatingsRoutes
{
    public static IEndpointRouteBuilder MapRatingsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(RatingsEndpoints.Prefix).WithTags("ratings");
        api.MapGet("/ping", (HttpContext c, RatingsEndpoints e) => e.PingAsync(c))
            .WithName("Ping").WithSummary("A trivial answer, to see the API is up.").Produces<Health>();
        api.MapGet("/batches", (HttpContext c, RatingsEndpoints e) => e.CatalogueAsync(c))
            .WithName("Catalogue")
            .WithSummary("The catalogue of batches.")
            .WithDescription("Query: colour=red|white, predictedClass=good|better|best, minStars=1..5 (average customer stars), limit=1..200 (50), offset (0).")
            .Produces<CataloguePage>().ProducesValidationProblem();
        api.MapGet("/batches/{batchId}", (HttpContext c, string batchId, RatingsEndpoints e) => e.CardAsync(c, batchId))
            .WithName("BatchCard")
            .WithSummary("A batch's card: colour, where and when sampled, measurements, predicted class, ratings and the tasters' median.")
            .Produces<BatchCard>().ProducesProblem(404);
        api.MapPost("/batches/{batchId}/ratings", (HttpContext c, string batchId, RatingsEndpoints e) => e.RateAsync(c, batchId))
            .WithName("RateBatch")
            .WithSummary("A customer rates a batch, 1 to 5 stars with an optional note; send an Idempotency-Key to retry safely.")
            .Accepts<RatingRequest>("application/json")
            .Produces<Rating>(201).ProducesValidationProblem()
            .ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(413).ProducesProblem(415).ProducesProblem(422).ProducesProblem(429);
        api.MapPost("/batches/{batchId}/taster-scores", (HttpContext c, string batchId, RatingsEndpoints e) => e.ScoreAsync(c, batchId))
            .WithName("ScoreBatch")
            .WithSummary("A professional taster scores a batch 0 to 10 (the UCI sensory scale); taster role only.")
            .Accepts<TasterScoreRequest>("application/json")
            .Produces<TasterScore>(201).ProducesValidationProblem()
            .ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(413).ProducesProblem(415).ProducesProblem(422).ProducesProblem(429);
        api.MapGet("/customers/{customerId}/recommendations", (HttpContext c, string customerId, RatingsEndpoints e) => e.RecommendationsAsync(c, customerId))
            .WithName("Recommendations")
            .WithSummary("Batches like those the customer rated 4-5 stars, of the class they prefer, each with an offer at the nearest distributor.")
            .WithDescription("The customer's own token only. Query: lat and lon (degrees) for the nearest distributor, limit=1..50 (5).")
            .Produces<Recommendations>().ProducesProblem(401).ProducesProblem(403).ProducesValidationProblem();
        app.MapGet("/web/{*file}", (HttpContext c, string? file) => WebPage.Serve(c, file)).ExcludeFromDescription();
        app.MapGet("/", () => TypedResults.Redirect(WebPage.Path)).ExcludeFromDescription();
        return app;
    }
}
