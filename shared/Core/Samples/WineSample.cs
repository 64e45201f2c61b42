using System.Text.Json.Serialization;

namespace WineFunctions.Samples;

/// <summary>
/// One cask sample as a device sends it (contract v1, see docs/sample-contract.md).
/// Measurements use the UCI units: g/dm³ unless named otherwise.
/// </summary>
public sealed record WineSample
{
    public const int CurrentSchema = 1;

    public int Schema { get; init; } = CurrentSchema;
    public required string SampleId { get; init; }
    public required string BatchId { get; init; }
    public required string WarehouseId { get; init; }
    public required string DeviceId { get; init; }
    [JsonConverter(typeof(UtcTimestampConverter))]
    public required DateTimeOffset TakenAt { get; init; }
    public required WineColour Wine { get; init; }

    public required double FixedAcidity { get; init; }
    public required double VolatileAcidity { get; init; }
    public required double CitricAcid { get; init; }
    public required double ResidualSugar { get; init; }
    public required double Chlorides { get; init; }
    public required double FreeSulfurDioxide { get; init; }
    public required double TotalSulfurDioxide { get; init; }
    public required double Density { get; init; }
    [JsonPropertyName("pH")]
    public required double PH { get; init; }
    public required double Sulphates { get; init; }
    public required double Alcohol { get; init; }

    /// <summary>Set only by the device simulator: the class the measurements were drawn from, so predictions can be scored.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public QualityClass? SimulatedClass { get; init; }

    /// <summary>A sample from the 11 measurements in <see cref="Measurement.All"/> order.</summary>
    public static WineSample Create(string sampleId, string batchId, string warehouseId, string deviceId,
        DateTimeOffset takenAt, WineColour wine, IReadOnlyList<double> values, QualityClass? simulatedClass = null, int schema = CurrentSchema) => new()
    {
        Schema = schema,
        SampleId = sampleId,
        BatchId = batchId,
        WarehouseId = warehouseId,
        DeviceId = deviceId,
        TakenAt = takenAt,
        Wine = wine,
        FixedAcidity = values[0],
        VolatileAcidity = values[1],
        CitricAcid = values[2],
        ResidualSugar = values[3],
        Chlorides = values[4],
        FreeSulfurDioxide = values[5],
        TotalSulfurDioxide = values[6],
        Density = values[7],
        PH = values[8],
        Sulphates = values[9],
        Alcohol = values[10],
        SimulatedClass = simulatedClass,
    };

    /// <summary>The 11 measurements in <see cref="Measurement.All"/> order.</summary>
    public double[] Measurements()
    {
        var values = new double[Measurement.All.Count];
        CopyMeasurementsTo(values);
        return values;
    }

    /// <summary><see cref="Measurements"/> without an array of its own (Parquet columns are filled a sample at a time).</summary>
    public void CopyMeasurementsTo(Span<double> values)
    {
        (values[0], values[1], values[2], values[3], values[4], values[5]) = (FixedAcidity, VolatileAcidity, CitricAcid, ResidualSugar, Chlorides, FreeSulfurDioxide);
        (values[6], values[7], values[8], values[9], values[10]) = (TotalSulfurDioxide, Density, PH, Sulphates, Alcohol);
    }
}
