using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using WineFunctions.Lake;
using WineFunctions.Stack;
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
        Process? wine = null;
        try
        {
            var batches = await RatingsLakeSeed.SeedAsync(new FolderObjectStore(Path.Combine(folder.FullName, "lake")), batches: 3);
            var endpointsFile = Path.Combine(folder.FullName, "endpoints.json");
            wine = Process.Start(new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "wine.dll"),
                "up", "--no-simulator", "--duration", "00:02:00", "--mqtt-port", "0", "--ratings-port", "0", "--lake", "lake", "--endpoints-file", endpointsFile])
            {
                WorkingDirectory = folder.FullName,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var output = new StringBuilder();
            wine.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
            wine.BeginOutputReadLine();
            wine.BeginErrorReadLine();
            var deadline = DateTime.UtcNow.AddMinutes(1);
            while (!File.Exists(endpointsFile))
            {
                Assert.False(wine.HasExited, $"wine up exited: {output}");
                Assert.True(DateTime.UtcNow < deadline, "wine up wrote no endpoints file");
                await Task.Delay(100);
            }
            var api = (await StackEndpoints.ReadAsync(endpointsFile, CancellationToken.None)).RatingsApi!;
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
            lock (output)
            {
                Assert.Contains(api.CustomerToken, output.ToString()); // printed whole, so it can be copied
                Assert.Contains(api.TasterToken, output.ToString());
            }
        }
        finally
        {
            if (wine is { HasExited: false })
            {
                wine.Kill(entireProcessTree: true);
                await wine.WaitForExitAsync();
            }
            wine?.Dispose();
            folder.Delete(recursive: true);
        }
    }
}
