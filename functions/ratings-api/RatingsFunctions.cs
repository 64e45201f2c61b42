using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using WineFunctions.Ratings.Http;

namespace WineFunctions.Functions.RatingsApi;

/// <summary>
/// HTTP triggers over the shared handlers: the same code Kestrel runs in <c>wine up</c>. host.json
/// empties the route prefix, so each trigger's route is the full path under /api/v1.
/// </summary>
public sealed class RatingsFunctions(RatingsEndpoints endpoints)
{
    [Function("Ping")]
    public async Task<IActionResult> PingAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/ping")] HttpRequest request) =>
        new HttpResultAction(await endpoints.PingAsync(request.HttpContext));

    [Function("Catalogue")]
    public async Task<IActionResult> CatalogueAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/batches")] HttpRequest request) =>
        new HttpResultAction(await endpoints.CatalogueAsync(request.HttpContext));

    [Function("BatchCard")]
    public async Task<IActionResult> CardAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/batches/{batchId}")] HttpRequest request,
        string batchId) =>
        new HttpResultAction(await endpoints.CardAsync(request.HttpContext, batchId));

    [Function("RateBatch")]
    public async Task<IActionResult> RateAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/batches/{batchId}/ratings")] HttpRequest request,
        string batchId) =>
        new HttpResultAction(await endpoints.RateAsync(request.HttpContext, batchId));

    [Function("ScoreBatch")]
    public async Task<IActionResult> ScoreAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/batches/{batchId}/taster-scores")] HttpRequest request,
        string batchId) =>
        new HttpResultAction(await endpoints.ScoreAsync(request.HttpContext, batchId));

    [Function("Recommendations")]
    public async Task<IActionResult> RecommendationsAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/customers/{customerId}/recommendations")] HttpRequest request, string customerId) =>
        new HttpResultAction(await endpoints.RecommendationsAsync(request.HttpContext, customerId));

    [Function("MyRatings")]
    public async Task<IActionResult> MyRatingsAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/customers/{customerId}/ratings")] HttpRequest request, string customerId) =>
        new HttpResultAction(await endpoints.RatingsOfAsync(request.HttpContext, customerId));

    [Function("MyRating")]
    public async Task<IActionResult> MyRatingAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/customers/{customerId}/ratings/{batchId}")] HttpRequest request, string customerId, string batchId) =>
        new HttpResultAction(await endpoints.RatingAsync(request.HttpContext, customerId, batchId));

    [Function("PutMyRating")]
    public async Task<IActionResult> PutMyRatingAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/v1/customers/{customerId}/ratings/{batchId}")] HttpRequest request, string customerId, string batchId) =>
        new HttpResultAction(await endpoints.PutRatingAsync(request.HttpContext, customerId, batchId));

    [Function("WithdrawMyRating")]
    public async Task<IActionResult> WithdrawMyRatingAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/v1/customers/{customerId}/ratings/{batchId}")] HttpRequest request, string customerId, string batchId) =>
        new HttpResultAction(await endpoints.WithdrawRatingAsync(request.HttpContext, customerId, batchId));

    [Function("MyScores")]
    public async Task<IActionResult> MyScoresAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/tasters/{tasterId}/scores")] HttpRequest request, string tasterId) =>
        new HttpResultAction(await endpoints.ScoresOfAsync(request.HttpContext, tasterId));

    [Function("MyScore")]
    public async Task<IActionResult> MyScoreAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/tasters/{tasterId}/scores/{batchId}")] HttpRequest request, string tasterId, string batchId) =>
        new HttpResultAction(await endpoints.ScoreOfAsync(request.HttpContext, tasterId, batchId));

    [Function("PutMyScore")]
    public async Task<IActionResult> PutMyScoreAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/v1/tasters/{tasterId}/scores/{batchId}")] HttpRequest request, string tasterId, string batchId) =>
        new HttpResultAction(await endpoints.PutScoreAsync(request.HttpContext, tasterId, batchId));

    [Function("WithdrawMyScore")]
    public async Task<IActionResult> WithdrawMyScoreAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/v1/tasters/{tasterId}/scores/{batchId}")] HttpRequest request, string tasterId, string batchId) =>
        new HttpResultAction(await endpoints.WithdrawScoreAsync(request.HttpContext, tasterId, batchId));

    [Function("BatchOffers")]
    public async Task<IActionResult> OffersAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/batches/{batchId}/offers")] HttpRequest request, string batchId) =>
        new HttpResultAction(await endpoints.OffersAsync(request.HttpContext, batchId));

    [Function("Distributors")]
    public async Task<IActionResult> DistributorsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/distributors")] HttpRequest request) =>
        new HttpResultAction(await endpoints.DistributorsAsync(request.HttpContext));

    [Function("WebPage")]
    public IActionResult WebPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "web/{*file}")] HttpRequest request, string? file) =>
        new HttpResultAction(Ratings.Http.WebPage.Serve(request.HttpContext, file));
}

/// <summary>The Functions ASP.NET Core integration executes IActionResult; the shared handlers answer with IResult.</summary>
internal sealed class HttpResultAction(IResult result) : IActionResult
{
    public Task ExecuteResultAsync(ActionContext context) => result.ExecuteAsync(context.HttpContext);
}
