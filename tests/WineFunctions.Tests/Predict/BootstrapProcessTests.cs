using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using WineFunctions.Lambda;
using WineFunctions.Prediction;
using WineFunctions.Telemetry;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Predict;

/// <summary>
/// The predict function's bootstrap executable as Lambda runs it: a process pointed at the Runtime API
/// by AWS_LAMBDA_RUNTIME_API. It runs the build output next to the tests, or the file named by
/// WINE_PREDICT_BOOTSTRAP (the NativeAOT publish output, say).
/// </summary>
public sealed class BootstrapProcessTests : IAsyncLifetime
{
    private readonly LambdaRuntimeApiServer _server = new();
    private readonly DirectoryInfo _lake = Directory.CreateTempSubdirectory("wine-predict-lake-");
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        await _server.DisposeAsync();
        _lake.Delete(recursive: true);
    }

    private static string Bootstrap()
    {
        if (Environment.GetEnvironmentVariable("WINE_PREDICT_BOOTSTRAP") is { Length: > 0 } given)
        {
            return given;
        }
        // The tests run from tests/WineFunctions.Tests/bin/<Configuration>/net10.0.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var path = Path.Combine(NodeServer.RepositoryRoot(), "functions", "predict", "bin", configuration, "net10.0", "bootstrap");
        Assert.True(File.Exists(path), $"{path} is missing: build the solution first");
        return path;
    }

    private void Start(params (string Name, string Value)[] settings)
    {
        var start = new ProcessStartInfo(Bootstrap()) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment[LambdaRuntimeClient.EndpointVariable] = _server.Endpoint;
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, line) => _output.Enqueue(line.Data ?? "");
        _process.ErrorDataReceived += (_, line) => _output.Enqueue(line.Data ?? "");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private async Task<int> ExitCodeAsync()
    {
        await _process!.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return _process.ExitCode;
    }

    [Fact]
    public async Task Skips_a_missing_raw_object_ignores_other_prefixes_and_stops_on_sigterm()
    {
        Start(("Lake__Kind", "Folder"), ("Lake__Folder", _lake.FullName));
        var invocation = _server.Enqueue(S3Events.Of(
            S3Events.Record("ObjectCreated:Put", "wine-lake", "raw/samples/date%3D2026-11-26/hour%3D18/wine.samples%2B3%2B000000000412.parquet"),
            S3Events.Record("ObjectCreated:Put", "wine-lake", "predictions/date%3D2026-11-26/hour%3D18/wine.samples%2B3%2B000000000412.parquet")),
            DateTimeOffset.UtcNow.AddMinutes(15));

        var outcome = await _server.OutcomeAsync(invocation.RequestId);

        Assert.False(outcome.IsError, outcome.Body);
        var summary = JsonSerializer.Deserialize(outcome.Body, PredictJsonContext.Default.PredictSummary)!;
        Assert.Equal(
        [
            new RecordSummary("raw/samples/date=2026-11-26/hour=18/wine.samples+3+000000000412.parquet", RecordOutcome.Missing, "the raw object no longer exists"),
            new RecordSummary("predictions/date=2026-11-26/hour=18/wine.samples+3+000000000412.parquet", RecordOutcome.Ignored, "not under raw/samples/"),
        ], summary.Records);
        await StopAsync();
        Assert.Equal(0, await ExitCodeAsync());
        Assert.Contains(_output, line => line.Contains("wine.samples+3+000000000412.parquet no longer exists; skipped"));
    }

    [Fact]
    public async Task Reads_the_lake_folder_it_is_given_and_a_failed_object_does_not_stop_the_loop()
    {
        const string key = "raw/samples/date=2026-11-26/hour=18/wine.samples+0+000000000007.parquet";
        Directory.CreateDirectory(Path.Combine(_lake.FullName, Path.GetDirectoryName(key)!));
        await File.WriteAllBytesAsync(Path.Combine(_lake.FullName, key), "not parquet"u8.ToArray());
        Start(("Lake__Kind", "folder"), ("Lake__Folder", _lake.FullName));
        var present = _server.Enqueue(S3Events.Of(S3Events.Record("ObjectCreated:Put", "wine-lake", Uri.EscapeDataString(key))), DateTimeOffset.UtcNow.AddMinutes(15));
        var after = _server.Enqueue(S3Events.Of(S3Events.Record("ObjectCreated:Put", "wine-lake", "predictions/x.parquet")), DateTimeOffset.UtcNow.AddMinutes(15));

        var error = await _server.OutcomeAsync(present.RequestId);
        var response = await _server.OutcomeAsync(after.RequestId);

        // Found in the given folder (a missing object would be skipped), and not Parquet.
        Assert.True(error.IsError, error.Body);
        Assert.StartsWith($"Could not predict the samples of '{key}' (bucket wine-lake): {key} is not a readable raw sample object",
            JsonDocument.Parse(error.Body).RootElement.GetProperty("errorMessage").GetString());
        Assert.False(response.IsError, response.Body);
        await StopAsync();
        Assert.Equal(0, await ExitCodeAsync());
    }

    [Fact]
    public async Task Exports_each_invocations_logs_and_metrics_before_it_asks_for_the_next_invocation()
    {
        await using var collector = await OtlpCollector.StartAsync();
        // Periodic exports ten minutes apart: whatever arrives was flushed at the end of the invocation.
        Start(("Lake__Kind", "Folder"), ("Lake__Folder", _lake.FullName),
            (TelemetryExport.OtlpEndpointSetting, collector.Url), ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
            ("OTEL_METRIC_EXPORT_INTERVAL", "600000"), ("OTEL_BLRP_SCHEDULE_DELAY", "600000"), ("OTEL_BSP_SCHEDULE_DELAY", "600000"));
        var invocation = _server.Enqueue(S3Events.Of(S3Events.Record("ObjectCreated:Put", "wine-lake", "predictions/x.parquet")), DateTimeOffset.UtcNow.AddMinutes(15));

        Assert.False((await _server.OutcomeAsync(invocation.RequestId)).IsError);
        // Asking for the next invocation is when Lambda freezes the environment.
        for (var waited = 0; _server.NextCalls < 2 && waited < 300; waited++)
        {
            await Task.Delay(100);
        }

        Assert.Equal(2, _server.NextCalls);
        var paths = collector.Exports.Where(e => e.Bytes > 0).Select(e => e.Path).ToHashSet();
        Assert.Contains("/v1/metrics", paths);
        Assert.Contains("/v1/logs", paths);
        await StopAsync();
        Assert.Equal(0, await ExitCodeAsync());
    }

    [Fact]
    public async Task A_malformed_collector_address_stops_the_bootstrap_at_start_naming_the_setting()
    {
        Start((TelemetryExport.OtlpEndpointSetting, "collector:4318"));

        Assert.Equal(2, await ExitCodeAsync());
        Assert.Contains(_output, line => line.Contains($"{TelemetryExport.OtlpEndpointSetting} is 'collector:4318'"));
    }

    private async Task StopAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", _process!.Id.ToString()])!;
        await kill.WaitForExitAsync();
    }

    [Theory]
    [InlineData("S3", "Lake settings: Lake:S3:Bucket is required when Lake:Kind is S3")]
    [InlineData("Cellar", "Lake:Kind is 'Cellar', not one of Folder, S3, Blob")]
    public async Task A_bad_lake_setting_is_an_init_error_naming_it_and_the_process_exits(string kind, string message)
    {
        Start(("Lake__Kind", kind));

        var error = await _server.InitErrorAsync();

        Assert.Equal(LambdaErrorTypes.ConfigInvalid, error.ErrorType);
        Assert.Contains(message, JsonDocument.Parse(error.Body).RootElement.GetProperty("errorMessage").GetString());
        Assert.Equal(1, await ExitCodeAsync());
        Assert.Equal(0, _server.NextCalls);
    }
}
