using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.OpenApi;

namespace WineFunctions.Ratings.Http;

/// <summary>The Kestrel routes: each one calls the <see cref="RatingsEndpoints"/> handler a Functions trigger calls too.</summary>
public static class RatingsRoutes
{
    public static IEndpointRouteBuilder MapRatingsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(RatingsEndpoints.Prefix);
        MapCatalogue(api.MapGroup("").WithTags(RatingsOpenApi.CatalogueTag));
        MapRatings(api.MapGroup("").WithTags(RatingsOpenApi.RatingsTag));
        MapScores(api.MapGroup("").WithTags(RatingsOpenApi.ScoresTag));
        api.MapGet("/customers/{customerId}/recommendations", (HttpContext c, string customerId, RatingsEndpoints e) => e.RecommendationsAsync(c, customerId))
            .WithTags(RatingsOpenApi.RecommendationsTag).RequiresToken(DevelopmentIssuer.CustomerRole)
            .WithName("Recommendations")
            .WithSummary("Batches like those the customer rated 4-5 stars, of the class they prefer, each with an offer at the nearest distributor.")
            .WithDescription("The customer's own token only.")
            .WithParameters([.. Location, Limit(50, 5)])
            .Produces<Recommendations>().ProducesValidationProblem().ProducesProblems(401, 403, 429);
        api.MapGet("/ping", (HttpContext c, RatingsEndpoints e) => e.PingAsync(c))
            .WithTags(RatingsOpenApi.HealthTag).AllowAnonymous()
            .WithName("Ping").WithSummary("A trivial answer, to see the API is up.").Produces<Health>().ProducesProblems(401, 429);
        app.MapGet("/web/{*file}", (HttpContext c, string? file) => WebPage.Serve(c, file)).ExcludeFromDescription();
        app.MapGet("/", () => TypedResults.Redirect(WebPage.Path)).ExcludeFromDescription();
        return app;
    }

    private static void MapCatalogue(RouteGroupBuilder api)
    {
        // No token needed, but one that is sent is checked: hence the 401s.
        api.AllowAnonymous();
        api.MapGet("/batches", (HttpContext c, RatingsEndpoints e) => e.CatalogueAsync(c))
            .WithName("Catalogue")
            .WithSummary("The catalogue of batches, newest first, a page at a time.")
            .WithDescription("Follow next (as cursor) for the next page. " +
                "The answer carries an ETag; send it back in If-None-Match to get 304 Not Modified while nothing changed.")
            .WithParameters(
                ApiParameter.Query("colour", JsonSchemaType.String, "Only batches of this colour.", ["red", "white"]),
                ApiParameter.Query("predictedClass", JsonSchemaType.String, "Only batches the model puts in this class.", ["good", "better", "best"]),
                ApiParameter.Query("minStars", JsonSchemaType.Number, "Only batches whose customers' average is at least this.", minimum: 1, maximum: 5),
                Limit(CatalogueFilter.MaxLimit, 50), Cursor,
                ApiParameter.Query("offset", JsonSchemaType.Integer, "Batches to skip (the older way to page; not with cursor).", minimum: 0, maximum: CatalogueFilter.MaxOffset),
                IfNoneMatch)
            .Produces<CataloguePage>().Produces(StatusCodes.Status304NotModified).ProducesValidationProblem().ProducesProblems(401, 429);
        api.MapGet("/batches/{batchId}", (HttpContext c, string batchId, RatingsEndpoints e) => e.CardAsync(c, batchId))
            .WithName("BatchCard")
            .WithSummary("A batch's card: colour, where and when sampled, measurements, predicted class, ratings and the tasters' median.")
            .WithDescription("The answer carries an ETag; send it back in If-None-Match to get 304 Not Modified while nothing changed.")
            .WithParameters(IfNoneMatch)
            .Produces<BatchCard>().Produces(StatusCodes.Status304NotModified).ProducesProblems(401, 404, 429);
        api.MapGet("/batches/{batchId}/offers", (HttpContext c, string batchId, RatingsEndpoints e) => e.OffersAsync(c, batchId))
            .WithName("BatchOffers")
            .WithSummary("Where a batch can be bought: each distributor with it in stock, nearest first.")
            .WithDescription("Without the customer's location, most bottles first.")
            .WithParameters(Location)
            .Produces<BatchOffers>().ProducesValidationProblem().ProducesProblems(401, 404, 429);
        api.MapGet("/distributors", (HttpContext c, RatingsEndpoints e) => e.DistributorsAsync(c))
            .WithName("Distributors")
            .WithSummary("The distributors and their stock, nearest first.")
            .WithParameters([.. Location, Limit(CatalogueFilter.MaxLimit, 20)])
            .Produces<NearbyDistributors>().ProducesValidationProblem().ProducesProblems(401, 429);
    }

    private static void MapRatings(RouteGroupBuilder api)
    {
        api.RequiresToken(DevelopmentIssuer.CustomerRole);
        api.MapPost("/batches/{batchId}/ratings", (HttpContext c, string batchId, RatingsEndpoints e) => e.RateAsync(c, batchId))
            .WithName("RateBatch")
            .WithSummary("A customer rates a batch, 1 to 5 stars with an optional note: 201 for the first rating, 200 when it changes the customer's one rating of the batch; send an Idempotency-Key to retry safely.")
            .Accepts<RatingRequest>("application/json").WithParameters(IdempotencyKey)
            .Produces<Rating>(201).Produces<Rating>().ProducesValidationProblem().ProducesProblems(401, 403, 404, 413, 415, 422, 429);
        api.MapGet("/customers/{customerId}/ratings", (HttpContext c, string customerId, RatingsEndpoints e) => e.RatingsOfAsync(c, customerId))
            .WithName("MyRatings")
            .WithSummary("The customer's own ratings, newest first, a page at a time.")
            .WithDescription("The customer's own token only. Follow next (as cursor) for the next page.")
            .WithParameters(Limit(CatalogueFilter.MaxLimit, 50), Cursor)
            .Produces<RatingsPage>().ProducesValidationProblem().ProducesProblems(401, 403, 429);
        api.MapGet("/customers/{customerId}/ratings/{batchId}", (HttpContext c, string customerId, string batchId, RatingsEndpoints e) => e.RatingAsync(c, customerId, batchId))
            .WithName("MyRating").WithSummary("The customer's own rating of a batch.")
            .Produces<Rating>().ProducesProblems(401, 403, 404, 429);
        api.MapPut("/customers/{customerId}/ratings/{batchId}", (HttpContext c, string customerId, string batchId, RatingsEndpoints e) => e.PutRatingAsync(c, customerId, batchId))
            .WithName("PutMyRating")
            .WithSummary("Sets the customer's one rating of a batch: 201 when new, 200 when changed or the same.")
            .Accepts<RatingRequest>("application/json")
            .Produces<Rating>(201).Produces<Rating>().ProducesValidationProblem().ProducesProblems(401, 403, 404, 413, 415, 429);
        api.MapDelete("/customers/{customerId}/ratings/{batchId}", (HttpContext c, string customerId, string batchId, RatingsEndpoints e) => e.WithdrawRatingAsync(c, customerId, batchId))
            .WithName("WithdrawMyRating")
            .WithSummary("Withdraws the customer's rating of a batch: it no longer counts; 404 when there is none.")
            .Produces(204).ProducesProblems(401, 403, 404, 429);
    }

    private static void MapScores(RouteGroupBuilder api)
    {
        api.RequiresToken(DevelopmentIssuer.TasterRole);
        api.MapPost("/batches/{batchId}/taster-scores", (HttpContext c, string batchId, RatingsEndpoints e) => e.ScoreAsync(c, batchId))
            .WithName("ScoreBatch")
            .WithSummary("A professional taster scores a batch 0 to 10 (the UCI sensory scale), one score per taster and batch (a second POST changes it); taster role only.")
            .Accepts<TasterScoreRequest>("application/json").WithParameters(IdempotencyKey)
            .Produces<TasterScore>(201).Produces<TasterScore>().ProducesValidationProblem().ProducesProblems(401, 403, 404, 413, 415, 422, 429);
        api.MapGet("/tasters/{tasterId}/scores", (HttpContext c, string tasterId, RatingsEndpoints e) => e.ScoresOfAsync(c, tasterId))
            .WithName("MyScores")
            .WithSummary("The taster's own scores, newest first, a page at a time.")
            .WithDescription("The taster's own token only. Follow next (as cursor) for the next page.")
            .WithParameters(Limit(CatalogueFilter.MaxLimit, 50), Cursor)
            .Produces<TasterScoresPage>().ProducesValidationProblem().ProducesProblems(401, 403, 429);
        api.MapGet("/tasters/{tasterId}/scores/{batchId}", (HttpContext c, string tasterId, string batchId, RatingsEndpoints e) => e.ScoreOfAsync(c, tasterId, batchId))
            .WithName("MyScore").WithSummary("The taster's own score of a batch.")
            .Produces<TasterScore>().ProducesProblems(401, 403, 404, 429);
        api.MapPut("/tasters/{tasterId}/scores/{batchId}", (HttpContext c, string tasterId, string batchId, RatingsEndpoints e) => e.PutScoreAsync(c, tasterId, batchId))
            .WithName("PutMyScore")
            .WithSummary("Sets the taster's one score of a batch: 201 when new, 200 when changed or the same.")
            .Accepts<TasterScoreRequest>("application/json")
            .Produces<TasterScore>(201).Produces<TasterScore>().ProducesValidationProblem().ProducesProblems(401, 403, 404, 413, 415, 429);
        api.MapDelete("/tasters/{tasterId}/scores/{batchId}", (HttpContext c, string tasterId, string batchId, RatingsEndpoints e) => e.WithdrawScoreAsync(c, tasterId, batchId))
            .WithName("WithdrawMyScore")
            .WithSummary("Withdraws the taster's score of a batch; 404 when there is none.")
            .Produces(204).ProducesProblems(401, 403, 404, 429);
    }

    private static readonly ApiParameter[] Location =
    [
        ApiParameter.Query("lat", JsonSchemaType.Number, "The customer's latitude (WGS 84 degrees), with lon.", minimum: -90, maximum: 90),
        ApiParameter.Query("lon", JsonSchemaType.Number, "The customer's longitude (WGS 84 degrees), with lat.", minimum: -180, maximum: 180),
    ];

    private static readonly ApiParameter Cursor = ApiParameter.Query("cursor", JsonSchemaType.String, "Where the page starts: the next value of the previous page.");

    private static readonly ApiParameter IfNoneMatch = ApiParameter.Header("If-None-Match", "The ETag of the copy the client holds: 304 with no body while it is current.");

    private static readonly ApiParameter IdempotencyKey = ApiParameter.Header(RatingsEndpoints.IdempotencyKeyHeader,
        "A key of the client's choosing, 1 to 100 printable ASCII characters without spaces (a UUID, say): a retry with the same key and body gets the first answer, marked Idempotent-Replayed.");

    private static ApiParameter Limit(int max, int fallback) =>
        ApiParameter.Query("limit", JsonSchemaType.Integer, $"How many to return, 1 to {max} ({fallback} when absent).", minimum: 1, maximum: max);

    private static RouteHandlerBuilder ProducesProblems(this RouteHandlerBuilder route, params int[] statuses) =>
        statuses.Aggregate(route, (r, status) => r.ProducesProblem(status));

    /// <summary>Marks the endpoints as needing a bearer token of <paramref name="role"/>, for the OpenAPI document; the handlers check it.</summary>
    private static TBuilder RequiresToken<TBuilder>(this TBuilder builder, string role) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new BearerTokenRequired(role));
}

/// <summary>Endpoint metadata: a bearer token of this role is required (the OpenAPI document's security).</summary>
public sealed record BearerTokenRequired(string Role);
