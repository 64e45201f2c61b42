using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using WineFunctions.Lake;
using WineFunctions.Ratings;
using WineFunctions.Ratings.Http;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
var lake = builder.Configuration.GetSection("Lake").Get<LakeSettings>() ?? new LakeSettings();
var ratings = builder.Configuration.GetSection("Ratings").Get<RatingsOptions>() ?? new RatingsOptions();
if (lake.Problems() is { Count: > 0 } problems)
{
    // A bad configuration stops the worker at start, naming the setting.
    throw new InvalidOperationException("Lake settings: " + string.Join("; ", problems));
}
builder.Services.AddRatingsApi(ratings, lake.Open()); // throws naming any bad Ratings setting
builder.Build().Run();
