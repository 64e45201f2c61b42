using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using WineFunctions.Hosting;
using WineFunctions.Lambda;
using WineFunctions.Prediction;

// The Lambda custom runtime's bootstrap: settings from the environment (Lake__Kind, Lake__S3__Bucket, ...),
// telemetry (console logs for CloudWatch; OTLP to the collector layer when OTEL_EXPORTER_OTLP_ENDPOINT is set),
// then the Runtime API loop with the predict handler.
var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
using var telemetry = StartTelemetry(configuration);
if (telemetry is null)
{
    return 2;
}
var loggers = telemetry.Loggers;
var endpoint = Environment.GetEnvironmentVariable(LambdaRuntimeClient.EndpointVariable);
if (string.IsNullOrWhiteSpace(endpoint))
{
    // Without the Runtime API there is nobody to report an init error to.
    loggers.CreateLogger("WineFunctions.Predict").LogCritical(
        "{Variable} is not set: bootstrap runs inside AWS Lambda or against a Runtime API emulator", LambdaRuntimeClient.EndpointVariable);
    return 2;
}
using var stop = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
{
    signal.Cancel = true;
    stop.Cancel();
});
using var client = new LambdaRuntimeClient(endpoint);
var time = TimeProvider.System;
var runtime = new LambdaRuntime(client, time, loggers.CreateLogger<LambdaRuntime>(), telemetry: telemetry);
return await runtime.RunAsync(_ => Task.FromResult<ILambdaHandler>(PredictFunction.FromConfiguration(configuration, time, loggers).Handler), stop.Token);

static LambdaTelemetry? StartTelemetry(IConfiguration configuration)
{
    try
    {
        return LambdaTelemetry.Create(configuration, "wine-predict", logging => logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.UseUtcTimestamp = true;
            console.TimestampFormat = "HH:mm:ss.fff ";
        }));
    }
    catch (SettingsException exception)
    {
        // Before the loop there is no invocation to fail: Lambda shows this line with the init failure.
        Console.Error.WriteLine($"configuration error: {exception.Message}");
        return null;
    }
}
