using Parquet;
using Parquet.Data;
using Parquet.Schema;
using WineFunctions.Samples;

namespace WineFunctions.Lake;

/// <summary>
/// Samples as Parquet: one typed column per contract field (takenAt a UTC timestamp in
/// milliseconds, the measurements doubles, simulatedClass nullable), Snappy-compressed
/// (Parquet.Net's Zstd encodes about 17k samples/s here, Snappy about 570k). Raw sample objects
/// use <see cref="ParquetSchema"/>; training sets add an int <c>quality</c> column
/// (<see cref="LabelledParquetSchema"/>).
/// </summary>
public static class SampleParquet
{
    public const string QualityColumn = "quality";

    public static readonly ParquetSchema ParquetSchema = new(SampleColumns());

    public static readonly ParquetSchema LabelledParquetSchema = new([.. SampleColumns(), new DataField<int>(QualityColumn)]);

    // Fresh field objects for each schema: a schema owns the fields it is built from.
    private static DataField[] SampleColumns() =>
    [
        new DataField<int>(Samples.SampleFields.Schema),
        new DataField<string>(Samples.SampleFields.SampleId, false),
        new DataField<string>(Samples.SampleFields.BatchId, false),
        new DataField<string>(Samples.SampleFields.WarehouseId, false),
        new DataField<string>(Samples.SampleFields.DeviceId, false),
        // Milliseconds, as devices send them: Parquet.Net 6.1 writes a timestamp column's min/max statistics
        // in milliseconds whatever the column's unit (parquet-dotnet issue 769), and query engines skip row
        // groups by those statistics, so only a millisecond column filters right.
        new DateTimeDataField(Samples.SampleFields.TakenAt, DateTimeFormat.Timestamp, true, DateTimeTimeUnit.Millis, false),
        new DataField<string>(Samples.SampleFields.Wine, false),
        .. Measurement.All.Select(m => new DataField<double>(m.Field)),
        new DataField<string>(Samples.SampleFields.SimulatedClass, true),
    ];

    public static Task<byte[]> WriteAsync(IReadOnlyList<WineSample> samples, IReadOnlyDictionary<string, string> footer, CancellationToken cancellationToken) =>
        WriteAsync(ParquetSchema, samples, null, footer, cancellationToken);

    /// <summary>A training set: the sample schema and the int <c>quality</c> column.</summary>
    public static Task<byte[]> WriteLabelledAsync(IReadOnlyList<LabelledSample> rows, IReadOnlyDictionary<string, string> footer, CancellationToken cancellationToken) =>
        WriteAsync(LabelledParquetSchema, rows.Select(r => r.Sample).ToList(), rows.Select(r => r.Quality).ToArray(), footer, cancellationToken);

    public static async Task<IReadOnlyList<WineSample>> ReadAsync(byte[] content, CancellationToken cancellationToken) =>
        (await ReadRowsAsync(content, requireQuality: false, cancellationToken)).Select(r => r.Sample).ToList();

    public static async Task<IReadOnlyList<LabelledSample>> ReadLabelledAsync(byte[] content, CancellationToken cancellationToken) =>
        (await ReadRowsAsync(content, requireQuality: true, cancellationToken)).Select(r => new LabelledSample(r.Sample, r.Quality!.Value)).ToList();

    /// <summary>Raw or labelled samples alike: the quality is null for a raw object.</summary>
    public static async Task<IReadOnlyList<(WineSample Sample, int? Quality)>> ReadMaybeLabelledAsync(byte[] content, CancellationToken cancellationToken) =>
        await ReadRowsAsync(content, requireQuality: false, cancellationToken);

    private static async Task<byte[]> WriteAsync(ParquetSchema schema, IReadOnlyList<WineSample> samples, int[]? quality,
        IReadOnlyDictionary<string, string> footer, CancellationToken cancellationToken)
    {
        var fields = schema.DataFields;
        using var stream = new MemoryStream();
        var options = new ParquetOptions { CompressionMethod = CompressionMethod.Snappy };
        await using (var writer = await ParquetWriter.CreateAsync(schema, stream, options, cancellationToken: cancellationToken))
        {
            writer.CustomMetadata = footer.ToDictionary();
            using var group = writer.CreateRowGroup();
            await group.WriteAsync<int>(fields[0], samples.Select(s => s.Schema).ToArray(), cancellationToken: cancellationToken);
            await group.WriteAsync(fields[1], samples.Select(s => s.SampleId).ToArray());
            await group.WriteAsync(fields[2], samples.Select(s => s.BatchId).ToArray());
            await group.WriteAsync(fields[3], samples.Select(s => s.WarehouseId).ToArray());
            await group.WriteAsync(fields[4], samples.Select(s => s.DeviceId).ToArray());
            await group.WriteAsync<DateTime>(fields[5], samples.Select(s => s.TakenAt.UtcDateTime).ToArray(), cancellationToken: cancellationToken);
            await group.WriteAsync(fields[6], samples.Select(s => s.Wine.Name()).ToArray());
            var measurements = MeasurementColumns(samples);
            for (var i = 0; i < measurements.Length; i++)
            {
                await group.WriteAsync<double>(fields[7 + i], measurements[i], cancellationToken: cancellationToken);
            }
            await group.WriteAsync(fields[7 + Measurement.All.Count], samples.Select(s => s.SimulatedClass?.Name()!).ToArray());
            if (quality is not null)
            {
                await group.WriteAsync<int>(fields[^1], quality, cancellationToken: cancellationToken);
            }
        }
        return stream.ToArray();
    }

    private static double[][] MeasurementColumns(IReadOnlyList<WineSample> samples)
    {
        var columns = new double[Measurement.All.Count][];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = new double[samples.Count];
        }
        Span<double> row = stackalloc double[columns.Length];
        for (var r = 0; r < samples.Count; r++)
        {
            samples[r].CopyMeasurementsTo(row);
            for (var i = 0; i < columns.Length; i++)
            {
                columns[i][r] = row[i];
            }
        }
        return columns;
    }

    private static async Task<List<(WineSample Sample, int? Quality)>> ReadRowsAsync(byte[] content, bool requireQuality, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(content);
        await using var reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken);
        var fields = reader.Schema.DataFields;
        DataField Field(string name) => fields.FirstOrDefault(f => f.Name == name)
                                        ?? throw new InvalidDataException($"the Parquet file has no '{name}' column");
        var qualityField = fields.FirstOrDefault(f => f.Name == QualityColumn);
        if (requireQuality && qualityField is null)
        {
            throw new InvalidDataException($"the Parquet file has no '{QualityColumn}' column: it is not a training set");
        }
        var rowsRead = new List<(WineSample, int?)>();
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
            async Task<string[]> Strings(string name)
            {
                var values = new string[rows];
                await group.ReadAsync(Field(name), values, cancellationToken: cancellationToken);
                return values;
            }
            var schema = await Values<int>(Field(Samples.SampleFields.Schema));
            var sampleIds = await Strings(Samples.SampleFields.SampleId);
            var batchIds = await Strings(Samples.SampleFields.BatchId);
            var warehouses = await Strings(Samples.SampleFields.WarehouseId);
            var devices = await Strings(Samples.SampleFields.DeviceId);
            var takenAt = await Values<DateTime>(Field(Samples.SampleFields.TakenAt));
            var wine = await Strings(Samples.SampleFields.Wine);
            var measurements = new double[Measurement.All.Count][];
            for (var i = 0; i < measurements.Length; i++)
            {
                measurements[i] = await Values<double>(Field(Measurement.All[i].Field));
            }
            var simulated = await Strings(Samples.SampleFields.SimulatedClass);
            var quality = qualityField is null ? null : await Values<int>(qualityField);
            for (var row = 0; row < rows; row++)
            {
                var sample = WineSample.Create(sampleIds[row], batchIds[row], warehouses[row], devices[row],
                    new DateTimeOffset(DateTime.SpecifyKind(takenAt[row], DateTimeKind.Utc)),
                    wine[row] == "red" ? WineColour.Red : WineColour.White,
                    measurements.Select(m => m[row]).ToArray(),
                    QualityClasses.FromName(simulated[row]))
                    with { Schema = schema[row] };
                rowsRead.Add((sample, quality?[row]));
            }
        }
        return rowsRead;
    }
}
