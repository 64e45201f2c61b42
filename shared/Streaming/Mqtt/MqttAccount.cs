using System.Security.Cryptography;

namespace WineFunctions.Mqtt;

public enum MqttRole
{
    /// <summary>A scanning device: may publish to its own warehouse's samples topic and nothing else.</summary>
    Device,

    /// <summary>The MQTT->Kafka bridge: may subscribe to every warehouse's samples.</summary>
    Bridge,
}

/// <summary>A broker login. Devices belong to exactly one warehouse.</summary>
public sealed record MqttAccount(string Username, string Password, MqttRole Role, string? WarehouseId)
{
    public static MqttAccount Device(string warehouseId, string deviceId) =>
        new(deviceId, NewPassword(), MqttRole.Device, warehouseId);

    public static MqttAccount Bridge(string username) => new(username, NewPassword(), MqttRole.Bridge, null);

    /// <summary>The access rule the embedded broker enforces and the mosquitto ACL file states.</summary>
    public bool MayPublish(string topic) =>
        Role == MqttRole.Device && WarehouseTopics.WarehouseOf(topic) is { } warehouse && warehouse == WarehouseId;

    public bool MaySubscribe(string topicFilter) =>
        Role == MqttRole.Bridge && (topicFilter == WarehouseTopics.AllSamples || WarehouseTopics.WarehouseOf(topicFilter) is not null);

    private static string NewPassword() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
}
