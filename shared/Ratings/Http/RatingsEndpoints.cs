using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using WineFunctions.Samples;

namespace WineFunctions.Ratings.Http;

/// <summary>
/// The ratings API's endpoints as plain request handlers, so that the Kestrel routes
/// (<see cref="RatingsRoutes"/>) and the Functions HTTP triggers run the very same code:
/// identity, rate limit, reading and checking the request, the shared service, the answer.
/// </summary>
public sealed class RatingsEndpoints(RatingsService service, CallerLimiter limiter, RatingsMetrics metrics, LakeIndexHealth lake, ILogger<RatingsEndpoints> logger)
{
    public const string Prefix = "/api/v1";
    public const int MaxBodyBytes = 16 * 1024;
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    public Task<IResult> PingAsync(HttpContext context) =>
        GuardAsync(context, needsToken: false, _ => Task.FromResult<IResult>(TypedResults.Json(lake.Health, ApiJsonContext.Default.Health)));

    public Task<IResult> CardAsync(HttpContext context, string batchId) =>
        GuardAsync(context, needsToken: false, async _ => await service.CardAsync(batchId, context.RequestAborted) is { } card
            ? EntityTags.Json(context, card, ApiJsonContext.Default.BatchCard)
            : ApiProblems.UnknownBatch(context, batchId));

    public Task<IResult> CatalogueAsync(HttpContext context) =>
        GuardAsync(context, needsToken: false, async _ =>
        {
            var (filter, errors) = CatalogueQuery(context.Request.Query);
            if (errors.Count > 0)
            {
                return ApiProblems.Invalid(context, errors);
            }
            return EntityTags.Json(context, await service.CatalogueAsync(filter!, context.RequestAborted), ApiJsonContext.Default.CataloguePage);
        });

    public Task<IResult> RateAsync(HttpContext context, string batchId) =>
        GuardAsync(context, needsToken: true, async caller =>
        {
            if (!caller.IsInRole(DevelopmentIssuer.CustomerRole))
            {
                return ApiProblems.Forbidden(context, "Only customers rate batches; tasters post taster scores.");
            }
            return await PutRatingAsync(context, caller, batchId, IdempotencyKey(context));
        });

    public Task<IResult> ScoreAsync(HttpContext context, string batchId) =>
        GuardAsync(context, needsToken: true, async caller =>
        {
            if (!caller.IsInRole(DevelopmentIssuer.TasterRole))
            {
                return ApiProblems.Forbidden(context, "Only professional tasters post taster scores.");
            }
            return await PutScoreAsync(context, caller, batchId, IdempotencyKey(context));
        });

    /// <summary>PUT of the caller's own rating of a batch: created (201) or changed (200).</summary>
    public Task<IResult> PutRatingAsync(HttpContext context, string customerId, string batchId) =>
        OwnAsync(context, Customers, customerId, caller => PutRatingAsync(context, caller, batchId, null));

    public Task<IResult> PutScoreAsync(HttpContext context, string tasterId, string batchId) =>
        OwnAsync(context, Tasters, tasterId, caller => PutScoreAsync(context, caller, batchId, null));

    public Task<IResult> RatingAsync(HttpContext context, string customerId, string batchId) =>
        OwnAsync(context, Customers, customerId, async _ => await service.OpinionAsync(Opinions.Ratings, customerId, batchId, context.RequestAborted) is { } rating
            ? TypedResults.Json(rating, ApiJsonContext.Default.Rating)
            : ApiProblems.NoOpinion(context, Customers.Noun, batchId));

    public Task<IResult> ScoreOfAsync(HttpContext context, string tasterId, string batchId) =>
        OwnAsync(context, Tasters, tasterId, async _ => await service.OpinionAsync(Opinions.Scores, tasterId, batchId, context.RequestAborted) is { } score
            ? TypedResults.Json(score, ApiJsonContext.Default.TasterScore)
            : ApiProblems.NoOpinion(context, Tasters.Noun, batchId));

    public Task<IResult> RatingsOfAsync(HttpContext context, string customerId) =>
        PageAsync(context, Customers, Opinions.Ratings, customerId, (ratings, next) => new RatingsPage(ratings, next), ApiJsonContext.Default.RatingsPage);

    public Task<IResult> ScoresOfAsync(HttpContext context, string tasterId) =>
        PageAsync(context, Tasters, Opinions.Scores, tasterId, (scores, next) => new TasterScoresPage(scores, next), ApiJsonContext.Default.TasterScoresPage);

    public Task<IResult> WithdrawRatingAsync(HttpContext context, string customerId, string batchId) =>
        OwnAsync(context, Customers, customerId, async _ =>
            Answer(context, Customers, await service.WithdrawAsync(Opinions.Ratings, customerId, batchId, context.RequestAborted), customerId, batchId, ApiJsonContext.Default.Rating));

    public Task<IResult> WithdrawScoreAsync(HttpContext context, string tasterId, string batchId) =>
        OwnAsync(context, Tasters, tasterId, async _ =>
            Answer(context, Tasters, await service.WithdrawAsync(Opinions.Scores, tasterId, batchId, context.RequestAborted), tasterId, batchId, ApiJsonContext.Default.TasterScore));

    public Task<IResult> RecommendationsAsync(HttpContext context, string customerId) =>
        GuardAsync(context, needsToken: true, async caller =>
        {
            if (!caller.IsInRole(DevelopmentIssuer.CustomerRole) || Subject(caller) != customerId)
            {
                return ApiProblems.Forbidden(context, "A customer's recommendations are for that customer's own token only.");
            }
            var errors = new Dictionary<string, string[]>();
            var limit = IntParameter(context.Request.Query, "limit", 5, 1, 50, errors);
            var location = Location(context.Request.Query, errors);
            return errors.Count > 0
                ? ApiProblems.Invalid(context, errors)
                : TypedResults.Json(await service.RecommendAsync(customerId, location, limit, context.RequestAborted), ApiJsonContext.Default.Recommendations);
        });

    /// <summary>Where a batch can be bought, nearest first (lat and lon optional).</summary>
    public Task<IResult> OffersAsync(HttpContext context, string batchId) =>
        GuardAsync(context, needsToken: false, async _ =>
        {
            var errors = new Dictionary<string, string[]>();
            var location = Location(context.Request.Query, errors);
            if (errors.Count > 0)
            {
                return ApiProblems.Invalid(context, errors);
            }
            return await service.OffersAsync(batchId, location, context.RequestAborted) is { } offers
                ? TypedResults.Json(offers, ApiJsonContext.Default.BatchOffers)
                : ApiProblems.UnknownBatch(context, batchId);
        });

    /// <summary>The distributors, nearest first when lat and lon are given.</summary>
    public Task<IResult> DistributorsAsync(HttpContext context) =>
        GuardAsync(context, needsToken: false, async _ =>
        {
            var errors = new Dictionary<string, string[]>();
            var limit = IntParameter(context.Request.Query, "limit", 20, 1, CatalogueFilter.MaxLimit, errors);
            var location = Location(context.Request.Query, errors);
            return errors.Count > 0
                ? ApiProblems.Invalid(context, errors)
                : TypedResults.Json(await service.DistributorsAsync(location, limit, context.RequestAborted), ApiJsonContext.Default.NearbyDistributors);
        });

    /// <summary>Identity, then the caller's rate limit, then the work; a request cut short by the client gets no answer.</summary>
    private async Task<IResult> GuardAsync(HttpContext context, bool needsToken, Func<ClaimsPrincipal, Task<IResult>> work)
    {
        var result = await RunAsync(context, needsToken, work);
        if (result is IStatusCodeHttpResult { StatusCode: >= 400 and < 500 and var status })
        {
            metrics.Rejected(status);
        }
        return result;
    }

    private async Task<IResult> RunAsync(HttpContext context, bool needsToken, Func<ClaimsPrincipal, Task<IResult>> work)
    {
        var caller = new ClaimsPrincipal(new ClaimsIdentity());
        if (context.Request.Headers.Authorization.Count > 0)
        {
            // A token that is sent is checked even where none is needed: a forged one is never ignored.
            var authentication = await context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
            if (!authentication.Succeeded)
            {
                return ApiProblems.BadToken(context, authentication.Failure is { } failure ? Reason(failure) : "Send Authorization: Bearer <token>.");
            }
            caller = authentication.Principal;
            if (string.IsNullOrEmpty(Subject(caller)))
            {
                return ApiProblems.BadToken(context, "The token names no subject (sub).");
            }
        }
        else if (needsToken)
        {
            return ApiProblems.NoToken(context);
        }
        var key = caller.Identity?.IsAuthenticated == true ? "sub:" + Subject(caller) : "ip:" + context.Connection.RemoteIpAddress;
        if (!limiter.TryAcquire(key))
        {
            return ApiProblems.TooMany(context);
        }
        try
        {
            return await work(caller);
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's own refusals while reading the body (too large, cut off).
            return ApiProblems.Create(context, e.StatusCode, "bad-request", "The request could not be read", e.Message);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return TypedResults.Empty;
        }
    }

    private Task<IResult> PutRatingAsync(HttpContext context, ClaimsPrincipal caller, string batchId, string? idempotencyKey) =>
        SetAsync(context, Customers, caller, batchId, ApiJsonContext.Default.RatingRequest,
            (customerId, request, token) => service.RateAsync(customerId, batchId, request, idempotencyKey, token), ApiJsonContext.Default.Rating);

    private Task<IResult> PutScoreAsync(HttpContext context, ClaimsPrincipal caller, string batchId, string? idempotencyKey) =>
        SetAsync(context, Tasters, caller, batchId, ApiJsonContext.Default.TasterScoreRequest,
            (tasterId, request, token) => service.ScoreAsync(tasterId, batchId, request, idempotencyKey, token), ApiJsonContext.Default.TasterScore);

    /// <summary>Reads the body and sets the caller's opinion of the batch with it: created (201) or changed (200).</summary>
    private async Task<IResult> SetAsync<TRequest, T>(HttpContext context, OpinionHolders holders, ClaimsPrincipal caller, string batchId,
        JsonTypeInfo<TRequest> requestJson, Func<string, TRequest, CancellationToken, Task<OpinionOutcome<T>>> set, JsonTypeInfo<T> json) where TRequest : class
    {
        var (request, problem) = await ReadJsonAsync(context, requestJson);
        if (problem is not null)
        {
            return problem;
        }
        var personId = Subject(caller);
        return Answer(context, holders, await set(personId, request!, context.RequestAborted), personId, batchId, json);
    }

    /// <summary>A person's own opinions: their token, their role, their id in the path.</summary>
    private Task<IResult> OwnAsync(HttpContext context, OpinionHolders holders, string personId, Func<ClaimsPrincipal, Task<IResult>> work) =>
        GuardAsync(context, needsToken: true, caller => caller.IsInRole(holders.Role) && Subject(caller) == personId
            ? work(caller)
            : Task.FromResult(ApiProblems.Forbidden(context, $"A {holders.Person}'s {holders.Noun}s are for that {holders.Person}'s own token only.")));

    private static IResult Answer<T>(HttpContext context, OpinionHolders holders, OpinionOutcome<T> outcome, string personId, string batchId, JsonTypeInfo<T> json) => outcome switch
    {
        OpinionOutcome<T>.Stored { Change: OpinionChange.Withdrawn } => TypedResults.NoContent(),
        OpinionOutcome<T>.Stored stored => Stored(context, stored, holders.PathOf(personId, batchId), json),
        OpinionOutcome<T>.Invalid invalid => ApiProblems.Invalid(context, invalid.Errors),
        OpinionOutcome<T>.UnknownBatch unknown => ApiProblems.UnknownBatch(context, unknown.BatchId),
        OpinionOutcome<T>.NotYou notYou => ApiProblems.Forbidden(context, notYou.Detail),
        OpinionOutcome<T>.KeyReused reused => ApiProblems.KeyReused(context, reused.Key),
        OpinionOutcome<T>.NoOpinion => ApiProblems.NoOpinion(context, holders.Noun, batchId),
        _ => throw new InvalidOperationException($"unhandled outcome {outcome}"),
    };

    private static IResult Stored<T>(HttpContext context, OpinionOutcome<T>.Stored stored, string location, JsonTypeInfo<T> json)
    {
        if (stored.Replayed)
        {
            context.Response.Headers[ReplayedHeader] = "true";
        }
        context.Response.Headers.Location = location;
        return TypedResults.Json(stored.Value, json, statusCode: stored.Change == OpinionChange.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    /// <summary>A page of the person's own opinions, newest first, with the cursor of the next page.</summary>
    private Task<IResult> PageAsync<T, TPage>(HttpContext context, OpinionHolders holders, OpinionKind<T> kind, string personId,
        Func<IReadOnlyList<T>, string?, TPage> page, JsonTypeInfo<TPage> json) where T : class, IOpinion =>
        OwnAsync(context, holders, personId, async _ =>
        {
            var (limit, after, errors) = PageQuery(context);
            if (errors.Count > 0)
            {
                return ApiProblems.Invalid(context, errors);
            }
            var (opinions, next) = await service.OpinionsOfAsync(kind, personId, limit, after, context.RequestAborted);
            return TypedResults.Json(page(opinions, next?.Encode()), json);
        });

    /// <summary>limit (1..200, 50) and cursor, for the pages of one person's opinions.</summary>
    private static (int Limit, PageCursor? After, Dictionary<string, string[]> Errors) PageQuery(HttpContext context)
    {
        var query = context.Request.Query;
        var errors = new Dictionary<string, string[]>();
        var limit = IntParameter(query, "limit", 50, 1, CatalogueFilter.MaxLimit, errors);
        return (limit, Cursor(query, errors), errors);
    }

    private static PageCursor? Cursor(IQueryCollection query, Dictionary<string, string[]> errors)
    {
        PageCursor? after = null;
        if (query["cursor"].ToString() is { Length: > 0 } cursor && (after = PageCursor.TryParse(cursor)) is null)
        {
            errors["cursor"] = ["cursor must be the next value of an earlier page"];
        }
        return after;
    }

    private static readonly OpinionHolders Customers = new(DevelopmentIssuer.CustomerRole, "customer", "rating", "customers", "ratings");
    private static readonly OpinionHolders Tasters = new(DevelopmentIssuer.TasterRole, "taster", "taster score", "tasters", "scores");

    /// <summary>Who holds a kind of opinion, and where each one's own are served.</summary>
    private sealed record OpinionHolders(string Role, string Person, string Noun, string People, string Opinions)
    {
        public string PathOf(string personId, string batchId) => $"{Prefix}/{People}/{Uri.EscapeDataString(personId)}/{Opinions}/{Uri.EscapeDataString(batchId)}";
    }

    /// <summary>JSON of at most <see cref="MaxBodyBytes"/>, sent as application/json; anything else is a problem answer.</summary>
    private static async Task<(T? Value, IResult? Problem)> ReadJsonAsync<T>(HttpContext context, JsonTypeInfo<T> json) where T : class
    {
        if (!context.Request.HasJsonContentType())
        {
            return (null, ApiProblems.Create(context, 415, "unsupported-media-type", "Send JSON", "The body must be application/json."));
        }
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return (null, TooLarge(context));
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return (null, TooLarge(context));
            }
            buffer.Write(chunk, 0, read);
        }
        try
        {
            return JsonSerializer.Deserialize(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), json) is { } value
                ? (value, null)
                : (null, Malformed(context, "The body is null; send a JSON object."));
        }
        catch (JsonException e)
        {
            return (null, Malformed(context, e.Message));
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or ArgumentException)
        {
            return (null, Malformed(context, "The body is not JSON of the expected shape."));
        }
    }

    private static IResult TooLarge(HttpContext context) =>
        ApiProblems.Create(context, 413, "body-too-large", "The body is too large", $"Send at most {MaxBodyBytes} bytes.");

    private static IResult Malformed(HttpContext context, string detail) =>
        ApiProblems.Create(context, 400, "malformed-json", "The body is not valid JSON for this request", detail);

    private static (CatalogueFilter? Filter, Dictionary<string, string[]> Errors) CatalogueQuery(IQueryCollection query)
    {
        var errors = new Dictionary<string, string[]>();
        WineColour? colour = query["colour"].ToString() switch
        {
            "" => null,
            "red" => WineColour.Red,
            "white" => WineColour.White,
            _ => Error<WineColour>(errors, "colour", "colour must be red or white"),
        };
        QualityClass? predicted = query["predictedClass"].ToString() switch
        {
            "" => null,
            "good" => QualityClass.Good,
            "better" => QualityClass.Better,
            "best" => QualityClass.Best,
            _ => Error<QualityClass>(errors, "predictedClass", "predictedClass must be good, better or best"),
        };
        var minStars = DoubleParameter(query, "minStars", RatingRules.MinStars, RatingRules.MaxStars, errors);
        var limit = IntParameter(query, "limit", 50, 1, CatalogueFilter.MaxLimit, errors);
        var offset = IntParameter(query, "offset", 0, 0, CatalogueFilter.MaxOffset, errors);
        var after = Cursor(query, errors);
        if (after is not null && offset != 0)
        {
            errors["cursor"] = ["cursor and offset do not go together; follow next"];
        }
        return (errors.Count == 0 ? new CatalogueFilter(colour, predicted, minStars, limit, offset, after) : null, errors);
    }

    private static T? Error<T>(Dictionary<string, string[]> errors, string name, string message) where T : struct
    {
        errors[name] = [message];
        return null;
    }

    private static int IntParameter(IQueryCollection query, string name, int fallback, int min, int max, Dictionary<string, string[]> errors)
    {
        var text = query[name].ToString();
        if (text.Length == 0)
        {
            return fallback;
        }
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }
        errors[name] = [$"{name} must be a whole number from {min} to {max}"];
        return fallback;
    }

    private static double? DoubleParameter(IQueryCollection query, string name, double min, double max, Dictionary<string, string[]> errors)
    {
        var text = query[name].ToString();
        if (text.Length == 0)
        {
            return null;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }
        errors[name] = [$"{name} must be a number from {min} to {max}"];
        return null;
    }

    /// <summary>The customer's location from lat and lon (degrees), which go together; none when both are absent.</summary>
    private static GeoPoint? Location(IQueryCollection query, Dictionary<string, string[]> errors)
    {
        var latitude = DoubleParameter(query, "lat", -90, 90, errors);
        var longitude = DoubleParameter(query, "lon", -180, 180, errors);
        if ((latitude is null) != (longitude is null))
        {
            errors["lat"] = ["lat and lon go together"];
        }
        return latitude is { } lat && longitude is { } lon ? new GeoPoint(lat, lon) : null;
    }

    private static string? IdempotencyKey(HttpContext context) =>
        context.Request.Headers.TryGetValue(IdempotencyKeyHeader, out var values) ? values.ToString() : null;

    private static string Subject(ClaimsPrincipal caller) => caller.FindFirstValue("sub") ?? "";

    private string Reason(Exception failure)
    {
        logger.LogDebug(failure, "Bearer token refused");
        return failure switch
        {
            Microsoft.IdentityModel.Tokens.SecurityTokenExpiredException => "The token has expired.",
            Microsoft.IdentityModel.Tokens.SecurityTokenInvalidIssuerException => "The token is from an issuer this API does not trust.",
            Microsoft.IdentityModel.Tokens.SecurityTokenInvalidAudienceException => "The token is for another audience.",
            Microsoft.IdentityModel.Tokens.SecurityTokenSignatureKeyNotFoundException or Microsoft.IdentityModel.Tokens.SecurityTokenInvalidSignatureException =>
                "The token's signature does not verify.",
            _ => "The token could not be validated.",
        };
    }
}
