using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using WineFunctions.Lake;
using WineFunctions.Ratings;
using WineFunctions.Ratings.Http;

namespace WineFunctions.Tests.Infrastructure;

/// <summary>The ratings API on real Kestrel (127.0.0.1, a free port) over a lake and a database the test owns.</summary>
public sealed class RatingsApp : IAsyncDisposable
{
    private RatingsApp(RatingsServer server, DevelopmentIssuer issuer, IObjectStore lake, RatingsDatabase database)
    {
        Server = server;
        Issuer = issuer;
        Lake = lake;
        Database = database;
        Http = new HttpClient { BaseAddress = new Uri(server.Url) };
    }

    public RatingsServer Server { get; }
    public DevelopmentIssuer Issuer { get; }
    public IObjectStore Lake { get; }
    public RatingsDatabase Database { get; }
    public HttpClient Http { get; }

    /// <param name="jwt">Who issues tokens; by default the development issuer, whose key also maps the page's one-click sign-in.</param>
    public static async Task<RatingsApp> StartAsync(IObjectStore lake, RatingsDatabase database, RateLimitSettings? rateLimit = null, JwtSettings? jwt = null)
    {
        var issuer = new DevelopmentIssuer();
        var options = new RatingsOptions
        {
            Database = database,
            Jwt = jwt ?? issuer.Settings,
            RateLimit = rateLimit ?? new RateLimitSettings { PerSecond = 100_000, Burst = 100_000 },
        };
        var server = await RatingsServer.StartAsync(options, lake, "http://127.0.0.1:0", null, CancellationToken.None);
        return new RatingsApp(server, issuer, lake, database);
    }

    /// <summary>The API over a SQLite database in <paramref name="folder"/>.</summary>
    public static Task<RatingsApp> StartOnSqliteAsync(IObjectStore lake, DirectoryInfo folder) =>
        StartAsync(lake, new RatingsDatabase { ConnectionString = $"Data Source={Path.Combine(folder.FullName, "ratings.db")}" });

    public HttpRequestMessage Request(HttpMethod method, string path, string? token = null, string? json = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        if (idempotencyKey is not null)
        {
            request.Headers.Add(RatingsEndpoints.IdempotencyKeyHeader, idempotencyKey);
        }
        return request;
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token = null, string? json = null, string? idempotencyKey = null) =>
        Http.SendAsync(Request(method, path, token, json, idempotencyKey));

    /// <summary>Writes what the outbox holds into the lake now, instead of waiting for the publisher.</summary>
    public Task<int> FlushLakeAsync() => Server.Services.GetRequiredService<LakePublisher>().PublishPendingAsync(CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
