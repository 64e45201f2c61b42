using System.Net;
using System.Net.Http.Headers;
using System.Text;
using WineFunctions.Lake;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Ratings;

/// <summary><c>wine up</c> serves the ratings API and page and writes its address and development tokens to the endpoints file.</summary>
[Collection(Collections.Librdkafka)]
public sealed class WineUpRatingsTests
{
    [Fact]
    public async Task Wine_up_serves_the_API_and_page_with_a_customer_and_a_taster_token_in_the_endpoints_file()
    {
        var folder = Directory.CreateTempSubdirectory("wine-up-ratings-");
        try
        {
            var batches = await RatingsLakeSeed.SeedAsync(new FolderObjectStore(Path.Combine(folder.FullName, "lake")), batches: 3);
            var endpointsFile = Path.Combine(folder.FullName, "endpoints.json");
            await using var wine = WineProcess.Start(folder.FullName,
                "up", "--no-simulator", "--duration", "00:02:00", "--mqtt-port", "0", "--ratings-port", "0", "--lake", "lake", "--endpoints-file", endpointsFile);
            var api = (await wine.EndpointsAsync(endpointsFile, TimeSpan.FromMinutes(1))).RatingsApi!;
            Assert.StartsWith("http://127.0.0.1:", api.Url);

            using var http = new HttpClient { BaseAddress = new Uri(api.Url) };
            Assert.Equal("text/html", (await http.GetAsync("/web/")).Content.Headers.ContentType!.MediaType);
            async Task<HttpStatusCode> PostAsync(string path, string token, string json)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                return (await http.SendAsync(request)).StatusCode;
            }
            Assert.Equal(HttpStatusCode.Created, await PostAsync($"/api/v1/batches/{batches[0].BatchId}/ratings", api.CustomerToken, """{"stars":4}"""));
            Assert.Equal(HttpStatusCode.Created, await PostAsync($"/api/v1/batches/{batches[0].BatchId}/taster-scores", api.TasterToken, """{"score":6}"""));
            Assert.Equal(HttpStatusCode.Forbidden, await PostAsync($"/api/v1/batches/{batches[0].BatchId}/taster-scores", api.CustomerToken, """{"score":6}"""));
            Assert.Contains(api.CustomerToken, wine.Output); // printed whole, so it can be copied
            Assert.Contains(api.TasterToken, wine.Output);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
