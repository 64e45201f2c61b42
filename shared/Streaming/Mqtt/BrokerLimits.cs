using WineFunctions.Samples;

namespace WineFunctions.Mqtt;

/// <summary>
/// What a warehouse broker holds at most, the same for mosquitto (<see cref="MosquittoConfig"/>) and
/// the embedded broker: packets that fit the sample cap, and a queue for a client that is away (the
/// bridge) bounded in bytes, so a flood cannot exhaust the broker's memory and disk.
/// </summary>
public static class BrokerLimits
{
    /// <summary>The largest sample a device may send, plus room for the topic and MQTT 5 properties.</summary>
    public static readonly int MaxPacketBytes = SampleValidationOptions.Default.MaxPayloadBytes + 4 * 1024;

    /// <summary>A week of samples at the product's rates is well under this (about 2 million samples of 500 bytes).</summary>
    public const long MaxQueuedBytes = 1L << 30;

    /// <summary>The same bound as a count, for brokers that count messages: as many packets of the largest size.</summary>
    public static int MaxQueuedMessages => (int)(MaxQueuedBytes / MaxPacketBytes);

    /// <summary>How often mosquitto writes its persistence file, in seconds: what a broker crash (not a restart) can lose.</summary>
    public const int AutosaveSeconds = 10;
}
