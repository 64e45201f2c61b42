using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WineFunctions.Lake;
using WineFunctions.Sink;
using WineFunctions.Zones;

var builder = FunctionsApplication.CreateBuilder(args);
var lake = builder.Configuration.GetSection("Lake").Get<LakeSettings>() ?? new LakeSettings();
var zone = builder.Configuration.GetSection("Zone").Get<ZoneSettings>() ?? new ZoneSettings();
var format = builder.Configuration.GetValue("Sink:Format", SampleFormat.Parquet);
if (lake.Problems().Concat(zone.Problems(lake.Zone)).ToList() is { Count: > 0 } problems)
{
    // A bad configuration stops the worker at start, naming the setting.
    throw new InvalidOperationException("Lake and zone settings: " + string.Join("; ", problems));
}
builder.Services.AddSingleton(TimeProvider.System);
// Objects carry the sink's zone; writes into a lake in another zone are audited.
builder.Services.AddSingleton(sp => lake.Open().InZone(zone, lake.Zone, "sink", sp.GetRequiredService<TimeProvider>(),
    sp.GetRequiredService<ILoggerFactory>().CreateLogger<ZonedObjectStore>()));
builder.Services.AddSingleton(sp => new RunStore(sp.GetRequiredService<IObjectStore>(), format, sp.GetRequiredService<TimeProvider>(),
    sp.GetRequiredService<ILoggerFactory>().CreateLogger<RunStore>()));
builder.Services.AddSingleton<FunctionBatchSink>();
builder.Build().Run();
