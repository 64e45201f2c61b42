using Parquet;
using Parquet.Data;
using Parquet.Schema;
using WineFunctions.Samples;

namespace WineFunctions.Lake;

/// <summary>
/// Raw samples as Parquet: one typed column per contract field (takenAt a UTC timestamp in
/// microseconds, the measurements doubles, simulatedClass nullable), Snappy-compressed
/// (Parquet.Net's Zstd encodes about 17k samples/s here, Snappy about 570k).
/// </summary>
public static class SampleParquet
{
    private static readonly DataField Schema = new DataField<int>(SampleFields.Schema);
    private static readonly DataField SampleId = new DataField<string>(SampleFields.SampleId, false);
    private static readonly DataField BatchId = new DataField<string>(SampleFields.BatchId, false);
    private static readonly DataField WarehouseId = new DataField<string>(SampleFields.WarehouseId, false);
    private static readonly DataField DeviceId = new DataField<string>(SampleFields.DeviceId, false);
    private static readonly DataField TakenAt = new DateTimeDataField(SampleFields.TakenAt, DateTimeFormat.Timestamp, true, DateTimeTimeUnit.Micros, false);
    private static readonly DataField Wine = new DataField<string>(SampleFields.Wine, false);
    private static readonly DataField[] MeasurementFields = Measurement.All.Select(m => (DataField)new DataField<double>(m.Field)).ToArray();
    private static readonly DataField SimulatedClass = new DataField<string>(SampleFields.SimulatedClass, true);

    public static readonly ParquetSchema ParquetSchema = new([Schema, SampleId, BatchId, WarehouseId, DeviceId, TakenAt, Wine, .. MeasurementFields, SimulatedClass]);

    public static async Task<byte[]> WriteAsync(IReadOnlyList<WineSample> samples, IReadOnlyDictionary<string, string> footer, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream();
        var options = new ParquetOptions { CompressionMethod = CompressionMethod.Snappy };
        await using (var writer = await ParquetWriter.CreateAsync(ParquetSchema, stream, options, cancellationToken: cancellationToken))
        {
            writer.CustomMetadata = footer.ToDictionary();
            using var group = writer.CreateRowGroup();
            await group.WriteAsync<int>(Schema, samples.Select(s => s.Schema).ToArray(), cancellationToken: cancellationToken);
            await group.WriteAsync(SampleId, samples.Select(s => s.SampleId).ToArray());
            await group.WriteAsync(BatchId, samples.Select(s => s.BatchId).ToArray());
            await group.WriteAsync(WarehouseId, samples.Select(s => s.WarehouseId).ToArray());
            await group.WriteAsync(DeviceId, samples.Select(s => s.DeviceId).ToArray());
            await group.WriteAsync<DateTime>(TakenAt, samples.Select(s => s.TakenAt.UtcDateTime).ToArray(), cancellationToken: cancellationToken);
            await group.WriteAsync(Wine, samples.Select(s => s.Wine == WineColour.Red ? "red" : "white").ToArray());
            var measurements = samples.Select(s => s.Measurements()).ToList();
            for (var i = 0; i < MeasurementFields.Length; i++)
            {
                await group.WriteAsync<double>(MeasurementFields[i], measurements.Select(m => m[i]).ToArray(), cancellationToken: cancellationToken);
            }
            await group.WriteAsync(SimulatedClass, samples.Select(s => s.SimulatedClass?.Name()!).ToArray());
        }
        return stream.ToArray();
    }

    public static async Task<IReadOnlyList<WineSample>> ReadAsync(byte[] content, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(content);
        await using var reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken);
        var samples = new List<WineSample>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var rows = (int)group.RowCount;
            async Task<T[]> Values<T>(DataField field) where T : struct
            {
                var values = new T[rows];
                await group.ReadAsync<T>(field, values, cancellationToken: cancellationToken);
                return values;
            }
            async Task<string[]> Strings(DataField field)
            {
                var values = new string[rows];
                await group.ReadAsync(field, values, cancellationToken: cancellationToken);
                return values;
            }
            var schema = await Values<int>(Schema);
            var sampleIds = await Strings(SampleId);
            var batchIds = await Strings(BatchId);
            var warehouses = await Strings(WarehouseId);
            var devices = await Strings(DeviceId);
            var takenAt = await Values<DateTime>(TakenAt);
            var wine = await Strings(Wine);
            var measurements = new double[MeasurementFields.Length][];
            for (var i = 0; i < MeasurementFields.Length; i++)
            {
                measurements[i] = await Values<double>(MeasurementFields[i]);
            }
            var simulated = await Strings(SimulatedClass);
            for (var row = 0; row < rows; row++)
            {
                samples.Add(WineSample.Create(sampleIds[row], batchIds[row], warehouses[row], devices[row],
                    new DateTimeOffset(DateTime.SpecifyKind(takenAt[row], DateTimeKind.Utc)),
                    wine[row] == "red" ? WineColour.Red : WineColour.White,
                    measurements.Select(m => m[row]).ToArray(),
                    simulated[row] switch { "good" => QualityClass.Good, "better" => QualityClass.Better, "best" => QualityClass.Best, _ => null })
                    with { Schema = schema[row] });
            }
        }
        return samples;
    }
}
