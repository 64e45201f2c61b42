namespace WineFunctions.Simulation;

/// <summary>A scanning device, the warehouse it stands in and its broker login (null for an open broker).</summary>
public sealed record DeviceIdentity(string WarehouseId, string DeviceId, string? Username, string? Password)
{
    public static string WarehouseIdOf(int number) => $"wh-{number:D2}";

    public static string DeviceIdOf(string warehouseId, int number) => $"{warehouseId}-dev-{number}";
}

/// <summary>How the simulated warehouses behave. The defaults make a small, lively site.</summary>
public sealed record SimulatorOptions
{
    public required string Host { get; init; }
    public required int Port { get; init; }
    public bool UseTls { get; init; }

    /// <summary>For brokers with self-signed certificates in development only.</summary>
    public bool AllowUntrustedCertificates { get; init; }

    public required IReadOnlyList<DeviceIdentity> Devices { get; init; }

    /// <summary>Casks open for sampling in each warehouse; every sample belongs to one of them.</summary>
    public int BatchesPerWarehouse { get; init; } = 20;

    /// <summary>Scans per second across all devices.</summary>
    public double SamplesPerSecond { get; init; } = 20;

    /// <summary>Samples to deliver before the run ends; null runs until cancelled.</summary>
    public long? Samples { get; init; }

    /// <summary>Chance, per publish, that the network drops while the publish is in flight.</summary>
    public double ConnectionLossProbability { get; init; } = 0.01;

    /// <summary>Unsent samples a device holds; when full the device refuses new scans rather than drop one already taken.</summary>
    public int DeviceQueueCapacity { get; init; } = 1_000;

    public int Seed { get; init; } = 2009;

    public static IReadOnlyList<DeviceIdentity> PlanDevices(int warehouses, int devicesPerWarehouse,
        Func<string, string, (string Username, string Password)?> credentials) =>
        Enumerable.Range(1, warehouses)
            .SelectMany(w => Enumerable.Range(1, devicesPerWarehouse).Select(d =>
            {
                var warehouse = DeviceIdentity.WarehouseIdOf(w);
                var device = DeviceIdentity.DeviceIdOf(warehouse, d);
                var login = credentials(warehouse, device);
                return new DeviceIdentity(warehouse, device, login?.Username, login?.Password);
            }))
            .ToList();
}
