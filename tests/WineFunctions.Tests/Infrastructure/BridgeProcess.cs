using System.Diagnostics;
using System.Text;
using WineFunctions.Ingest;

namespace WineFunctions.Tests.Infrastructure;

/// <summary>The ingest function as its own process (functions/ingest), configured through environment variables.</summary>
internal sealed class BridgeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private BridgeProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output { get { lock (_output) return _output.ToString(); } }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <param name="folder">Where the bridge's files are: the tests' own output (the portable layout) unless a publish folder is given.</param>
    public static BridgeProcess Start(BridgeOptions options, int httpPort, IDictionary<string, string>? extra = null, string? folder = null)
    {
        folder ??= AppContext.BaseDirectory;
        var start = new ProcessStartInfo("dotnet", [Path.Combine(folder, "WineFunctions.Ingest.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        var env = start.Environment;
        env["ASPNETCORE_HTTP_PORTS"] = httpPort.ToString();
        env["Bridge__Mqtt__Host"] = options.Mqtt.Host;
        env["Bridge__Mqtt__Port"] = options.Mqtt.Port.ToString();
        env["Bridge__Mqtt__ClientId"] = options.Mqtt.ClientId;
        if (options.Mqtt.Username is not null)
        {
            env["Bridge__Mqtt__Username"] = options.Mqtt.Username;
            env["Bridge__Mqtt__Password"] = options.Mqtt.Password;
        }
        env["Bridge__Kafka__BootstrapServers"] = options.Kafka.BootstrapServers;
        env["Bridge__Kafka__Topic"] = options.Kafka.Topic;
        env["Bridge__Kafka__DeadLetterTopic"] = options.Kafka.DeadLetterTopic;
        env["Bridge__Kafka__BufferAfterSeconds"] = options.Kafka.BufferAfterSeconds.ToString();
        env["Bridge__Buffer__Directory"] = options.Buffer.Directory;
        env["Bridge__Buffer__MaxBytes"] = options.Buffer.MaxBytes.ToString();
        env["Bridge__Buffer__SegmentBytes"] = options.Buffer.SegmentBytes.ToString();
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }
        return new BridgeProcess(Process.Start(start)!);
    }

    /// <summary>SIGTERM, as a container runtime stops the bridge; true when it exited within <paramref name="timeout"/>.</summary>
    public async Task<bool> TerminateAsync(TimeSpan timeout)
    {
        Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        return await WaitForExitAsync(timeout);
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }
        _process.Dispose();
    }
}
