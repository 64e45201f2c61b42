namespace WineFunctions.Ingest.Host;

/// <summary>The container health check: 0 when the bridge answers healthy, 1 otherwise.</summary>
internal static class HealthProbe
{
    public static async Task<int> RunAsync()
    {
        var url = (Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS") ?? "8080").Split(';')[0];
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await http.GetAsync($"http://127.0.0.1:{url}/health");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return 1;
        }
    }
}
