namespace WineFunctions.Mqtt;

/// <summary>The MQTT topic layout: each warehouse publishes its samples to <c>wine/{warehouseId}/samples</c>.</summary>
public static class WarehouseTopics
{
    public const string AllSamples = "wine/+/samples";

    public static string Samples(string warehouseId) => $"wine/{warehouseId}/samples";

    /// <summary>The warehouse a samples topic belongs to, or null for any other topic.</summary>
    public static string? WarehouseOf(string topic)
    {
        var levels = topic.Split('/');
        return levels is ["wine", { Length: > 0 } warehouse, "samples"] && !warehouse.Contains('+') && !warehouse.Contains('#')
            ? warehouse
            : null;
    }
}
