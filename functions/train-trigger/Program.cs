using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WineFunctions.Lake;
using WineFunctions.Training;

var builder = FunctionsApplication.CreateBuilder(args);
var lake = builder.Configuration.GetSection("Lake").Get<LakeSettings>() ?? new LakeSettings();
if (lake.Problems() is { Count: > 0 } problems)
{
    // A bad configuration stops the worker at start, naming the setting.
    throw new InvalidOperationException("Lake settings: " + string.Join("; ", problems));
}
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(lake.Open());
builder.Services.AddSingleton(sp => new TrainingService(sp.GetRequiredService<IObjectStore>(), sp.GetRequiredService<TimeProvider>(),
    sp.GetRequiredService<ILoggerFactory>().CreateLogger<TrainingService>()));
builder.Build().Run();
