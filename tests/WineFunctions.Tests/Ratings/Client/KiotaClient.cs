using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using WineFunctions.RatingsClient;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Ratings.Client;

/// <summary>
/// Kiota (the version in dotnet-tools.json) generating the C# client from a served document, and
/// the committed client (clients/ratings-api) calling a server through <see cref="OpenApiConformance"/>.
/// </summary>
internal static class KiotaClient
{
    /// <summary>The client's default base URL: wine up's, whatever host served the document.</summary>
    public const string CanonicalServer = "http://127.0.0.1:5080";

    public static string CommittedFolder => Path.Combine(NodeServer.RepositoryRoot(), "clients", "ratings-api", "Generated");

    /// <summary>Generates the client from <paramref name="document"/> into <paramref name="output"/> (emptied first).</summary>
    public static async Task GenerateAsync(JsonNode document, string output)
    {
        var canonical = document.DeepClone();
        canonical["servers"] = new JsonArray(new JsonObject { ["url"] = CanonicalServer, ["description"] = "wine up on this machine" });
        var file = Path.Combine(Path.GetTempPath(), $"wine-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, canonical.ToJsonString());
        try
        {
            var root = NodeServer.RepositoryRoot();
            var (exitCode, output_) = await Commands.RunAsync("env",
                ["KIOTA_UPDATE__DISABLED=true", "KIOTA_CLI_TELEMETRY_OPTOUT=true", "KIOTA_TUTORIAL_ENABLED=false",
                 "dotnet", "kiota", "generate", "-l", "CSharp", "-d", file, "-o", output, "-c", "RatingsApiClient", "-n", "WineFunctions.RatingsClient",
                 "--exclude-backward-compatible", "--clean-output", "--log-level", "Warning"],
                root, TimeSpan.FromMinutes(3));
            Assert.True(exitCode == 0, $"kiota generate failed (./test.sh restores it with dotnet tool restore): {output_}");
            // Kiota's own records of the run name temporary paths; they are not part of the client.
            File.Delete(Path.Combine(output, "kiota-lock.json"));
            File.Delete(Path.Combine(output, ".kiota.log"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The committed client against <paramref name="baseUrl"/>, signed in with <paramref name="token"/> when given.</summary>
    public static RatingsApiClient Create(string baseUrl, OpenApiConformance conformance, Func<string?> token)
    {
        var http = KiotaClientFactory.Create(conformance);
        var adapter = new HttpClientRequestAdapter(new BaseBearerTokenAuthenticationProvider(new SignedIn(token)), httpClient: http) { BaseUrl = baseUrl };
        return new RatingsApiClient(adapter);
    }

    public static HttpMessageHandler Network() => new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All };

    /// <summary>The app's sign-in state: the token of whoever is signed in, or none.</summary>
    private sealed class SignedIn(Func<string?> token) : IAccessTokenProvider
    {
        public AllowedHostsValidator AllowedHostsValidator { get; } = new();

        public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(token() ?? "");
    }
}
