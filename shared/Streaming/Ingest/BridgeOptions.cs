using WineFunctions.Lake;
using WineFunctions.Mqtt;

namespace WineFunctions.Ingest;

/// <summary>The bridge's settings (configuration section <c>Bridge</c>; environment <c>Bridge__Mqtt__Host</c> and so on).</summary>
public sealed record BridgeOptions
{
    public MqttSettings Mqtt { get; init; } = new();
    public KafkaSettings Kafka { get; init; } = new();
    public BufferSettings Buffer { get; init; } = new();
    public EdgePredictionSettings EdgePrediction { get; init; } = new();

    /// <summary>Every problem with the settings, each naming its setting; empty when they are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Mqtt.Host)) problems.Add("Bridge:Mqtt:Host is required");
        if (Mqtt.Port is < 1 or > 65535) problems.Add($"Bridge:Mqtt:Port must be 1-65535, not {Mqtt.Port}");
        if (Mqtt.SubscribedTopics.Any(t => !t.StartsWith("wine/", StringComparison.Ordinal))) problems.Add("Bridge:Mqtt:Topics must be under wine/ (for example wine/+/samples)");
        if (Mqtt.SessionExpirySeconds < 60) problems.Add("Bridge:Mqtt:SessionExpirySeconds must be at least 60, or a restart loses the session");
        if (Mqtt.Password is not null && Mqtt.Username is null) problems.Add("Bridge:Mqtt:Password is set without Bridge:Mqtt:Username");
        if (Mqtt.Username is not null && !string.IsNullOrEmpty(Mqtt.ClientId) && Mqtt.ClientId != Mqtt.Username) problems.Add("Bridge:Mqtt:ClientId must be the login's own (Bridge:Mqtt:Username): brokers bind a client id to its login");
        if (string.IsNullOrWhiteSpace(Kafka.BootstrapServers)) problems.Add("Bridge:Kafka:BootstrapServers is required");
        if (string.IsNullOrWhiteSpace(Kafka.Topic)) problems.Add("Bridge:Kafka:Topic is required");
        if (string.IsNullOrWhiteSpace(Kafka.DeadLetterTopic) || Kafka.DeadLetterTopic == Kafka.Topic) problems.Add("Bridge:Kafka:DeadLetterTopic is required and must differ from Bridge:Kafka:Topic");
        if (Kafka.BufferAfterSeconds is < 1 or > 3600) problems.Add("Bridge:Kafka:BufferAfterSeconds must be 1-3600");
        if (string.IsNullOrWhiteSpace(Buffer.Directory)) problems.Add("Bridge:Buffer:Directory is required");
        if (Buffer.MaxBytes < 1024 * 1024) problems.Add("Bridge:Buffer:MaxBytes must be at least 1 MiB");
        if (Buffer.SegmentBytes < 64 * 1024 || Buffer.SegmentBytes > Buffer.MaxBytes) problems.Add("Bridge:Buffer:SegmentBytes must be at least 64 KiB and at most Bridge:Buffer:MaxBytes");
        problems.AddRange(EdgePrediction.Problems());
        return problems;
    }
}

public sealed record MqttSettings
{
    public string Host { get; init; } = "127.0.0.1";
    public int Port { get; init; } = 1883;

    /// <summary>
    /// Fixed, so the broker keeps the session (and unacknowledged messages) across restarts. Brokers bind
    /// a client id to its login, so when set it must be the username; unset, it is the username (or
    /// <c>wine-bridge</c> without a login), which is what deployments do: the username comes from a secret store.
    /// </summary>
    public string? ClientId { get; init; }

    /// <summary>The client id the bridge connects with.</summary>
    public string SessionClientId => string.IsNullOrEmpty(ClientId) ? Username ?? "wine-bridge" : ClientId;

    public string? Username { get; init; }
    public string? Password { get; init; }
    public bool UseTls { get; init; }

    /// <summary>Development only: accept a certificate the machine does not trust.</summary>
    public bool AllowUntrustedCertificates { get; init; }

    /// <summary>Topic filters to subscribe; when none are configured, every warehouse's samples.</summary>
    public IReadOnlyList<string>? Topics { get; init; }

    // Not a default on Topics: the configuration binder would append configured topics to it.
    public IReadOnlyList<string> SubscribedTopics => Topics is { Count: > 0 } topics ? topics : [WarehouseTopics.AllSamples];
    public uint SessionExpirySeconds { get; init; } = 7 * 24 * 3600;

    /// <summary>Messages received but not yet acknowledged, at most (MQTT 5 receive maximum).</summary>
    public ushort ReceiveMaximum { get; init; } = 1000;
}

public sealed record KafkaSettings
{
    public string BootstrapServers { get; init; } = "";
    public string Topic { get; init; } = "wine.samples";
    public string DeadLetterTopic { get; init; } = "wine.samples.dlq";

    /// <summary>A record Kafka has not confirmed within this time goes to the disk buffer.</summary>
    public int BufferAfterSeconds { get; init; } = 10;

    /// <summary>Extra librdkafka settings, e.g. security.protocol, sasl.mechanism, sasl.username, sasl.password.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
}

public sealed record BufferSettings
{
    public string Directory { get; init; } = System.IO.Path.Combine(".wine", "bridge-buffer");
    public long MaxBytes { get; init; } = 1L << 30;
    public long SegmentBytes { get; init; } = 16L << 20;
}

/// <summary>
/// The edge option (docs/bridge.md): the champion's prediction attached to each sample as Kafka
/// headers. Off by default; the champion is read from the registry in <see cref="Lake"/>.
/// </summary>
public sealed record EdgePredictionSettings
{
    private const string Section = "Bridge:EdgePrediction:";

    public bool Enabled { get; init; }

    /// <summary>The lake whose model registry names the champion.</summary>
    public LakeSettings Lake { get; init; } = new();

    /// <summary>How often the champion alias is read to pick up a promotion.</summary>
    public int ChampionCheckSeconds { get; init; } = 30;

    public TimeSpan ChampionCheckInterval => TimeSpan.FromSeconds(ChampionCheckSeconds);

    /// <summary>Problems only when enabled: the settings of an option that is off are not used.</summary>
    public IEnumerable<string> Problems()
    {
        if (!Enabled)
        {
            yield break;
        }
        if (ChampionCheckSeconds is < 1 or > 3600)
        {
            yield return $"{Section}ChampionCheckSeconds must be 1-3600, not {ChampionCheckSeconds}";
        }
        foreach (var problem in Lake.Problems())
        {
            yield return problem.Replace("Lake:", Section + "Lake:", StringComparison.Ordinal);
        }
    }
}
