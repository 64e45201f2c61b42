using WineFunctions.Zones;

namespace WineFunctions.Stack;

/// <summary>The local stack's settings: embedded defaults, nothing to install.</summary>
public sealed record LocalStackOptions
{
    public int Warehouses { get; init; } = 3;
    public int DevicesPerWarehouse { get; init; } = 2;
    public double SamplesPerSecond { get; init; } = 50;
    public long? Samples { get; init; }
    public TimeSpan? Duration { get; init; }
    public string LakeDirectory { get; init; } = Path.Combine(".wine", "lake");
    public bool RunSimulator { get; init; } = true;

    /// <summary>The bridge's disk buffer: it outlives a run, so what one run buffered the next one delivers.</summary>
    public string BridgeBufferDirectory { get; init; } = Path.Combine(".wine", "bridge-buffer");

    /// <summary>Null takes the MQTT port 1883 when it is free and any free port otherwise; 0 always picks a free port.</summary>
    public int? MqttPort { get; init; }

    public int KafkaBrokers { get; init; } = 3;
    public int SamplesPartitions { get; init; } = 6;
    public double ConnectionLossProbability { get; init; } = 0.01;
    public int Seed { get; init; } = 2009;
    public string? EndpointsFile { get; init; }
    public string SamplesTopic { get; init; } = "wine.samples";
    public string DeadLetterTopic { get; init; } = "wine.samples.dlq";

    /// <summary>
    /// When set, each function sees the lake only as far as its cloud grant (<see cref="LakeGrant"/>) reaches,
    /// and what it used and was refused is kept here (<c>wine up --enforce-grants</c>).
    /// </summary>
    public LakeGrantUsage? EnforcedGrants { get; init; }

    /// <summary>The trust zone of each function and of the lake; by default all share one.</summary>
    public StackZones Zones { get; init; } = StackZones.Shared;
    /// <summary>The ratings API's port: null takes 5080 when free and any free port otherwise.</summary>
    public int? RatingsPort { get; init; }

    /// <summary>The ratings API's SQLite file (rebuilt from the lake with <c>wine ratings rebuild</c> if lost); null: beside the lake folder, e.g. .wine/lake-ratings.db.</summary>
    public string? RatingsDatabaseFile { get; init; }
}
