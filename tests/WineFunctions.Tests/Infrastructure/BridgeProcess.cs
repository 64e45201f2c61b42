using System.Diagnostics;
using WineFunctions.Ingest;

namespace WineFunctions.Tests.Infrastructure;

/// <summary>The ingest function as its own process (functions/ingest), configured through environment variables.</summary>
internal sealed class BridgeProcess(ProcessStartInfo start) : ChildProcess(start)
{
    /// <param name="folder">Where the bridge's files are: the tests' own output (the portable layout) unless a publish folder is given.</param>
    public static BridgeProcess Start(BridgeOptions options, int httpPort, IDictionary<string, string>? extra = null, string? folder = null)
    {
        folder ??= AppContext.BaseDirectory;
        var start = new ProcessStartInfo("dotnet", [Path.Combine(folder, "WineFunctions.Ingest.dll")]) { WorkingDirectory = folder };
        var env = start.Environment;
        env["ASPNETCORE_HTTP_PORTS"] = httpPort.ToString();
        env["Bridge__Mqtt__Host"] = options.Mqtt.Host;
        env["Bridge__Mqtt__Port"] = options.Mqtt.Port.ToString();
        if (options.Mqtt.ClientId is not null)
        {
            env["Bridge__Mqtt__ClientId"] = options.Mqtt.ClientId;
        }
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
        return new BridgeProcess(start);
    }
}
