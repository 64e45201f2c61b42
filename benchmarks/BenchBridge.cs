using System.Diagnostics;
using System.Net.Http.Json;
using MQTTnet;
using WineFunctions.Ingest;
using WineFunctions.Mqtt;

namespace WineFunctions.Benchmarks;

/// <summary>
/// The bridge (functions/ingest) in its own process, as deployed: its count of samples Kafka
/// confirmed (read from its health endpoint), its CPU time and memory. Disposing stops it and
/// ends its MQTT session, so the broker does not go on queueing samples for a bridge that is gone.
/// </summary>
internal sealed class BenchBridge : IAsyncDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _buffer;
    private readonly int _mqttPort;
    private readonly string _clientId;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _counting;
    private long _forwarded;
    private bool _connected;

    private BenchBridge(Process process, DirectoryInfo buffer, int mqttPort, string clientId, int healthPort)
    {
        (_process, _buffer, _mqttPort, _clientId) = (process, buffer, mqttPort, clientId);
        _counting = CountAsync(healthPort);
    }

    public long Forwarded => Interlocked.Read(ref _forwarded);

    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public long ResidentKiB
    {
        get
        {
            var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        }
    }

    /// <summary>Starts the bridge and returns once it has subscribed; with a collector, it traces every sample and exports over OTLP.</summary>
    public static async Task<BenchBridge> StartAsync(int mqttPort, string bootstrapServers, string? collector, string clientId, ushort receiveMaximum, CancellationToken cancellationToken)
    {
        var buffer = Directory.CreateTempSubdirectory("wine-bench-buffer-");
        var healthPort = EmbeddedMqttBroker.FreeLoopbackPort();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "WineFunctions.Ingest.dll")])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
        };
        start.Environment["ASPNETCORE_HTTP_PORTS"] = healthPort.ToString();
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Bridge__Mqtt__Port"] = mqttPort.ToString();
        start.Environment["Bridge__Mqtt__ClientId"] = clientId;
        start.Environment["Bridge__Mqtt__ReceiveMaximum"] = receiveMaximum.ToString();
        if (collector is not null)
        {
            start.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector;
            start.Environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
            foreach (var name in new[] { "OTEL_TRACES_SAMPLER", "OTEL_TRACES_SAMPLER_ARG" })
            {
                if (Environment.GetEnvironmentVariable(name) is { } value)
                {
                    start.Environment[name] = value; // e.g. parentbased_traceidratio and 0.1
                }
            }
        }
        if (Environment.GetEnvironmentVariable("BENCH_COMPRESSION") is { } compression)
        {
            start.Environment["Bridge__Kafka__Settings__compression.type"] = compression;
        }
        start.Environment["Bridge__Kafka__BootstrapServers"] = bootstrapServers;
        start.Environment["Bridge__Buffer__Directory"] = buffer.FullName;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) Console.Error.WriteLine("bridge: " + line); };
        process.BeginOutputReadLine();
        var bridge = new BenchBridge(process, buffer, mqttPort, clientId, healthPort);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            while (!Volatile.Read(ref bridge._connected))
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"the bridge exited with {process.ExitCode} before it subscribed");
                }
                await Task.Delay(50, timeout.Token);
            }
            return bridge;
        }
        catch
        {
            await bridge.DisposeAsync();
            throw;
        }
    }

    private async Task CountAsync(int healthPort)
    {
        using var http = new HttpClient();
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var status = await http.GetFromJsonAsync<BridgeStatus>($"http://127.0.0.1:{healthPort}/health", _stop.Token);
                Interlocked.Exchange(ref _forwarded, status!.Counts.Forwarded);
                Volatile.Write(ref _connected, status.MqttConnected);
            }
            catch (Exception) when (!_stop.IsCancellationRequested)
            {
                // Not up yet, or answering mid-restart: the next poll reads it again.
            }
            catch (OperationCanceledException)
            {
            }
            await Task.Delay(20, _stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        finally
        {
            _process.Dispose();
            await _stop.CancelAsync();
            await _counting;
            _buffer.Delete(recursive: true);
        }
        // A clean start with no expiry ends the session the bridge left behind; otherwise the broker
        // would go on queueing every later sample for it and slow the next rounds.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(BridgeBenchmark.Options(_mqttPort, _clientId).WithCleanStart(true).WithSessionExpiryInterval(0).Build(), timeout.Token);
        await client.DisconnectAsync(new MqttClientDisconnectOptions(), timeout.Token);
    }
}
