using Microsoft.Extensions.Logging;
using WineFunctions.Lake;
using WineFunctions.Ratings;
using WineFunctions.Ratings.Http;

namespace WineFunctions.Stack;

/// <summary>Where the local stack's ratings API listens, with development tokens for one customer and one taster.</summary>
public sealed record StackRatingsApi(string Url, string CustomerId, string CustomerToken, string TasterId, string TasterToken)
{
    public string Page => Url + WebPage.Path;
    public string ApiReference => Url + "/scalar";
}

/// <summary>
/// The ratings API and its page on Kestrel inside <c>wine up</c>, with a development token issuer
/// whose key lives as long as the run: an SQLite file beside the lake, the batch index refreshed often.
/// </summary>
public static class RatingsStack
{
    public const string CustomerId = DevelopmentIssuer.DevCustomerId;
    public const string TasterId = DevelopmentIssuer.DevTasterId;

    public static async Task<(RatingsServer Server, StackRatingsApi Api)> StartAsync(LocalStackOptions options, IObjectStore lake, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var issuer = new DevelopmentIssuer();
        var port = options.RatingsPort ?? LocalPorts.Preferred(5080);
        var lakeFolder = Path.GetFullPath(options.LakeDirectory).TrimEnd(Path.DirectorySeparatorChar);
        var database = options.RatingsDatabaseFile ?? Path.Combine(Path.GetDirectoryName(lakeFolder)!, Path.GetFileName(lakeFolder) + "-ratings.db");
        var server = await RatingsServer.StartAsync(new RatingsOptions
        {
            Database = new RatingsDatabase { ConnectionString = "Data Source=" + Path.GetFullPath(database) },
            Jwt = issuer.Settings,
            RefreshInterval = TimeSpan.FromSeconds(5),
        }, lake, $"http://127.0.0.1:{port}", loggers, cancellationToken);
        return (server, new StackRatingsApi(server.Url, CustomerId, issuer.CustomerToken(CustomerId), TasterId, issuer.TasterToken(TasterId)));
    }
}
