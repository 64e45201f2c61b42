namespace WineFunctions.Samples;

/// <summary>The contract's field names, as they appear in JSON.</summary>
public static class SampleFields
{
    public const string Schema = "schema";
    public const string SampleId = "sampleId";
    public const string BatchId = "batchId";
    public const string WarehouseId = "warehouseId";
    public const string DeviceId = "deviceId";
    public const string TakenAt = "takenAt";
    public const string Wine = "wine";
    public const string SimulatedClass = "simulatedClass";

    public static readonly IReadOnlySet<string> Known = new HashSet<string>(
        [Schema, SampleId, BatchId, WarehouseId, DeviceId, TakenAt, Wine, SimulatedClass, .. Measurement.All.Select(m => m.Field)],
        StringComparer.Ordinal);
}
