using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Scalar.AspNetCore;
using WineFunctions.Lake;

namespace WineFunctions.Ratings.Http;

/// <summary>
/// The ratings API and its page on plain Kestrel (wine up, tests, benchmarks): the same services
/// and handlers as the Functions app, plus the OpenAPI document and the Scalar UI.
/// </summary>
public sealed class RatingsServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RatingsServer(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The base address, e.g. <c>http://127.0.0.1:5080</c>.</summary>
    public string Url { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="listen">e.g. <c>http://127.0.0.1:0</c> for any free loopback port.</param>
    public static async Task<RatingsServer> StartAsync(RatingsOptions options, IObjectStore lake, string listen, ILoggerFactory? loggers, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(listen);
        builder.Logging.ClearProviders();
        if (loggers is not null)
        {
            builder.Services.AddSingleton(loggers);
        }
        builder.Services.AddRatingsApi(options, lake);
        builder.Services.AddDevelopmentSignIn(options);
        // Embedded in wine up and the tests: the process that owns it stops it, in its order, not a signal handler of its own.
        builder.Services.AddSingleton<IHostLifetime, OwnedLifetime>();
        builder.Services.AddRatingsOpenApi();
        var app = builder.Build();
        // Only a bug reaches here, never a client's input; the answer is still a problem document.
        app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : 500 });
        app.UseStatusCodePages();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/scalar", scalar => scalar.WithTitle("WineFunctions ratings API"));
        app.MapRatingsApi();
        app.MapDevelopmentSignIn();
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RatingsServer(app, address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}

/// <summary>A host lifetime that leaves Ctrl-C and SIGTERM to the process that embeds the host.</summary>
internal sealed class OwnedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
