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
            .WithDescription("Query: colour=red|white, predictedClass=good|better|best, minStars=1..5 (average customer stars), limit=1..200 (50), offset (0). " +
                "The answer carries an ETag; send it back in If-None-Match to get 304 Not Modified while nothing changed.")
            .Produces<CataloguePage>().Produces(StatusCodes.Status304NotModified).ProducesValidationProblem();
        api.MapGet("/batches/{batchId}", (HttpContext c, string batchId, RatingsEndpoints e) => e.CardAsync(c, batchId))
            .WithName("BatchCard")
            .WithSummary("A batch's card: colour, where and when sampled, measurements, predicted class, ratings and the tasters' median.")
            .WithDescription("The answer carries an ETag; send it back in If-None-Match to get 304 Not Modified while nothing changed.")
            .Produces<BatchCard>().Produces(StatusCodes.Status304NotModified).ProducesProblem(404);
        api.MapPost("/batches/{batchId}/ratings", (HttpContext c, string batchId, RatingsEndpoints e) => e.RateAsync(c, batchId))
            .WithName("RateBatch")
            .WithSummary("A customer rates a batch, 1 to 5 stars with an optional note: 201 for the first rating, 200 when it changes the customer's one rating of the batch; send an Idempotency-Key to retry safely.")
            .Accepts<RatingRequest>("application/json")
            .Produces<Rating>(201).Produces<Rating>().ProducesValidationProblem()
            .ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(413).ProducesProblem(415).ProducesProblem(422).ProducesProblem(429);
        api.MapPost("/batches/{batchId}/taster-scores", (HttpContext c, string batchId, RatingsEndpoints e) => e.ScoreAsync(c, batchId))
            .WithName("ScoreBatch")
            .WithSummary("A professional taster scores a batch 0 to 10 (the UCI sensory scale), one score per taster and batch (a second POST changes it); taster role only.")
            .Accepts<TasterScoreRequest>("application/json")
            .Produces<TasterScore>(201).Produces<TasterScore>().ProducesValidationProblem()
            .ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(413).ProducesProblem(415).ProducesProblem(422).ProducesProblem(429);
        api.MapGet("/customers/{customerId}/recommendations", (HttpContext c, string customerId, RatingsEndpoints e) => e.RecommendationsAsync(c, customerId))
            .WithName("Recommendations")
            .WithSummary("Batches like those the customer rated 4-5 stars, of the class they prefer, each with an offer at the nearest distributor.")
            .WithDescription("The customer's own token only. Query: lat and lon (degrees) for the nearest distributor, limit=1..50 (5).")
            .Produces<Recommendations>().ProducesProblem(401).ProducesProblem(403).ProducesValidationProblem();
        var own = new[] { 401, 403 };
        api.MapGet("/customers/{customerId}/ratings", (HttpContext c, string customerId, RatingsEndpoints e) => e.RatingsOfAsync(c, customerId))
            .WithName("MyRatings")
            .WithSummary("The customer's own ratings, newest first, a page at a time.")
            .WithDescription("The customer's own token only. Query: limit=1..200 (50), cursor (the next value of the previous page).")
            .Produces<RatingsPage>().ProducesValidationProblem().ProducesProblems(own);
        api.MapGet("/customers/{customerId}/ratings/{batchId}", (HttpContext c, string customerId, string batchId, RatingsEndpoints e) => e.RatingAsync(c, customerId, batchId))
            .WithName("MyRating").WithSummary("The customer's own rating of a batch.")
            .Produces<Rating>().ProducesProblems([.. own, 404]);
        api.MapPut("/customers/{customerId}/ratings/{batchId}", (HttpContext c, string customerId, string batchId, RatingsEndpoints e) => e.PutRatingAsync(c, customerId, batchId))
            .WithName("PutMyRating")
            .WithSummary("Sets the customer's one rating of a batch: 201 when new, 200 when changed or the same.")
            .Accepts<RatingRequest>("application/json")
            .Produces<Rating>(201).Produces<Rating>().ProducesValidationProblem().ProducesProblems([.. own, 404, 413, 415, 429]);
        api.MapDelete("/customers/{customerId}/ratings/{batchId}", (HttpContext c, string customerId, string batchId, RatingsEndpoints e) => e.WithdrawRatingAsync(c, customerId, batchId))
            .WithName("WithdrawMyRating")
            .WithSummary("Withdraws the customer's rating of a batch: it no longer counts; 404 when there is none.")
            .Produces(204).ProducesProblems([.. own, 404]);
        api.MapGet("/tasters/{tasterId}/scores", (HttpContext c, string tasterId, RatingsEndpoints e) => e.ScoresOfAsync(c, tasterId))
            .WithName("MyScores")
            .WithSummary("The taster's own scores, newest first, a page at a time.")
            .WithDescription("The taster's own token only. Query: limit=1..200 (50), cursor.")
            .Produces<TasterScoresPage>().ProducesValidationProblem().ProducesProblems(own);
        api.MapGet("/tasters/{tasterId}/scores/{batchId}", (HttpContext c, string tasterId, string batchId, RatingsEndpoints e) => e.ScoreOfAsync(c, tasterId, batchId))
            .WithName("MyScore").WithSummary("The taster's own score of a batch.")
            .Produces<TasterScore>().ProducesProblems([.. own, 404]);
        api.MapPut("/tasters/{tasterId}/scores/{batchId}", (HttpContext c, string tasterId, string batchId, RatingsEndpoints e) => e.PutScoreAsync(c, tasterId, batchId))
            .WithName("PutMyScore")
            .WithSummary("Sets the taster's one score of a batch: 201 when new, 200 when changed or the same.")
            .Accepts<TasterScoreRequest>("application/json")
            .Produces<TasterScore>(201).Produces<TasterScore>().ProducesValidationProblem().ProducesProblems([.. own, 404, 413, 415, 429]);
        api.MapDelete("/tasters/{tasterId}/scores/{batchId}", (HttpContext c, string tasterId, string batchId, RatingsEndpoints e) => e.WithdrawScoreAsync(c, tasterId, batchId))
            .WithName("WithdrawMyScore")
            .WithSummary("Withdraws the taster's score of a batch; 404 when there is none.")
            .Produces(204).ProducesProblems([.. own, 404]);
        app.MapGet("/web/{*file}", (HttpContext c, string? file) => WebPage.Serve(c, file)).ExcludeFromDescription();
        app.MapGet("/", () => TypedResults.Redirect(WebPage.Path)).ExcludeFromDescription();
        return app;
    }

    private static RouteHandlerBuilder ProducesProblems(this RouteHandlerBuilder route, IEnumerable<int> statuses) =>
        statuses.Aggregate(route, (r, status) => r.ProducesProblem(status));
}
