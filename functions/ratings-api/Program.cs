using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using WineFunctions.Ratings.Http;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddRatingsApi(builder.Configuration, "ratings-api"); // a bad setting stops the worker at start, naming it
builder.Build().Run();
