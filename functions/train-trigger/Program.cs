using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WineFunctions.Functions.TrainTrigger;
using WineFunctions.Lake;
using WineFunctions.Training;
using WineFunctions.Zones;

var builder = FunctionsApplication.CreateBuilder(args);
var lake = builder.Configuration.GetSection("Lake").Get<LakeSettings>() ?? new LakeSettings();
var zone = builder.Configuration.GetSection("Zone").Get<ZoneSettings>() ?? new ZoneSettings();
var gate = builder.Configuration.GetSection("Training:Gate").Get<GateSettings>() ?? new GateSettings();
var target = builder.Configuration.GetValue("Training:Target", TrainingTarget.InProcess);
if (lake.Problems().Concat(zone.Problems(lake.Zone)).Concat(gate.Problems()).ToList() is { Count: > 0 } problems)
{
    // A bad configuration stops the worker at start, naming the setting.
    throw new InvalidOperationException("Settings: " + string.Join("; ", problems));
}
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(sp => lake.Open().InZone(zone, lake.Zone, "train-trigger", sp.GetRequiredService<TimeProvider>(),
    sp.GetRequiredService<ILoggerFactory>().CreateLogger<ZonedObjectStore>()));
builder.Services.AddSingleton(sp => new TrainingService(sp.GetRequiredService<IObjectStore>(), sp.GetRequiredService<TimeProvider>(),
    sp.GetRequiredService<ILoggerFactory>().CreateLogger<TrainingService>(), gate: gate));
builder.Services.AddSingleton(new TrainingDispatch(target));
builder.Build().Run();
