using System.Text;
using Parquet;
using Parquet.Schema;
using WineFunctions.Data;
using WineFunctions.Samples;

namespace WineFunctions.Training;

/// <summary>
/// Reads an uploaded training file: the UCI CSV as published (semicolon-separated, quoted header;
/// commas and the contract's field names read too), with or without a colour column (without one,
/// the colour comes from "red"/"white" in the name), or Parquet in the lake's sample schema plus an integer <c>quality</c> column.
/// Every fault is named, so whoever uploaded the file can fix all of them at once.
/// </summary>
public static class TrainingFile
{
    /// <summary>Fewer rows than this in a class leave too few for five folds and a held-out set.</summary>
    public const int MinimumRowsPerClass = 25;

    public static bool IsTrainingData(string key)
    {
        var name = key[(key.LastIndexOf('/') + 1)..].ToLowerInvariant();
        return (name.EndsWith(".csv", StringComparison.Ordinal) || name.EndsWith(".parquet", StringComparison.Ordinal))
            && !name.StartsWith("test.", StringComparison.Ordinal);
    }

    /// <summary>The held-out set uploaded next to a data set's <c>train.parquet</c>, if any.</summary>
    public static string? HeldOutSiblingOf(string key) =>
        key.EndsWith("/train.parquet", StringComparison.Ordinal) ? key[..^"train.parquet".Length] + "test.parquet" : null;

    /// <param name="minimumRowsPerClass">Fewer rows of a class refuse the file (a held-out set needs only one of each).</param>
    public static async Task<TrainingFileRead> ReadAsync(string source, byte[] content, CancellationToken cancellationToken, int minimumRowsPerClass = MinimumRowsPerClass)
    {
        if (content.Length == 0)
        {
            return new TrainingRejection(source, [$"{source}: the file is empty"]);
        }
        var read = source.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)
            ? await ReadParquetAsync(source, content, cancellationToken)
            : UciWineQuality.ReadChecked(new StringReader(Encoding.UTF8.GetString(content)), UciWineQuality.ColourFromFileName(source), source);
        var problems = read.Problems.ToList();
        var outOfRange = read.Rows.Where(r => r.Quality is < 0 or > 10).Select(r => r.Quality).Distinct().Order().ToList();
        if (outOfRange.Count > 0)
        {
            problems.Add($"{source}: quality must be a whole score from 0 to 10; found {string.Join(", ", outOfRange)}");
        }
        var impossible = read.Rows.SelectMany(r => Measurement.All.Where((m, i) => !m.Allows(r.Values[i]))).Select(m => m.UciColumn).Distinct().ToList();
        if (impossible.Count > 0)
        {
            problems.Add($"{source}: values outside what a wine can hold in {string.Join(", ", impossible)}");
        }
        if (problems.Count == 0)
        {
            if (read.Rows.Count == 0)
            {
                problems.Add($"{source}: the file has a header but no rows");
            }
            var set = new TrainingSet(source, read.Rows);
            var thin = set.ClassCounts.Where(c => c.Value < minimumRowsPerClass).ToList();
            if (read.Rows.Count > 0 && thin.Count > 0)
            {
                problems.Add($"{source}: each class needs at least {minimumRowsPerClass} rows; "
                    + string.Join(", ", set.ClassCounts.Select(c => $"{c.Key.Name()} has {c.Value}")));
            }
            if (problems.Count == 0)
            {
                return set;
            }
        }
        return new TrainingRejection(source, problems);
    }


    private static async Task<UciReadResult> ReadParquetAsync(string source, byte[] content, CancellationToken cancellationToken)
    {
        try
        {
            using var stream = new MemoryStream(content);
            await using var reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken);
            var fields = reader.Schema.GetDataFields().ToDictionary(f => f.Name, StringComparer.Ordinal);
            var wanted = Measurement.All.Select(m => m.Field).Append(SampleFields.Wine).Append("quality").ToList();
            var missing = wanted.Where(w => !fields.ContainsKey(w)).ToList();
            if (missing.Count > 0)
            {
                return new([], [$"{source}: the Parquet schema lacks {string.Join(", ", missing.Select(m => $"'{m}'"))} (columns: {string.Join(", ", fields.Keys)})"]);
            }
            var rows = new List<LabelledMeasurements>();
            var problems = new List<string>();
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                var rowCount = (int)group.RowCount;
                var columns = new Dictionary<string, double?[]>();
                foreach (var name in wanted.Where(w => w != SampleFields.Wine))
                {
                    columns[name] = await ReadNumbersAsync(group, fields[name], rowCount, cancellationToken);
                }
                var colours = new string[rowCount];
                await group.ReadAsync(fields[SampleFields.Wine], colours, cancellationToken: cancellationToken);
                for (var row = 0; row < group.RowCount && problems.Count < 20; row++)
                {
                    var values = Measurement.All.Select(m => columns[m.Field][row]).ToArray();
                    var quality = columns["quality"][row];
                    var colour = colours[row];
                    var bad = Measurement.All.Where((m, i) => values[i] is null).Select(m => m.Field).ToList();
                    if (quality is null || quality != Math.Floor(quality.Value))
                    {
                        bad.Add("quality");
                    }
                    if (colour is not ("red" or "white"))
                    {
                        bad.Add(SampleFields.Wine);
                    }
                    if (bad.Count > 0)
                    {
                        problems.Add($"{source}: row {rows.Count + problems.Count + 1} has no usable {string.Join(", ", bad)}");
                        continue;
                    }
                    rows.Add(new LabelledMeasurements(colour == "red" ? WineColour.Red : WineColour.White,
                        values.Select(v => v!.Value).ToArray(), (int)quality!.Value));
                }
            }
            return new(rows, problems);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            return new([], [$"{source}: not a readable Parquet file ({e.Message})"]);
        }
    }

    private static async Task<double?[]> ReadNumbersAsync(ParquetRowGroupReader group, DataField field, int rows, CancellationToken cancellationToken)
    {
        async Task<double?[]> Read<T>(Func<T, double> toDouble) where T : struct
        {
            if (field.IsNullable)
            {
                var nullable = new T?[rows];
                await group.ReadAsync<T>(field, nullable, cancellationToken: cancellationToken);
                return [.. nullable.Select(v => v is { } value ? Finite(toDouble(value)) : null)];
            }
            var values = new T[rows];
            await group.ReadAsync<T>(field, values, cancellationToken: cancellationToken);
            return [.. values.Select(v => Finite(toDouble(v)))];
        }
        return field.ClrType switch
        {
            var t when t == typeof(double) => await Read<double>(v => v),
            var t when t == typeof(float) => await Read<float>(v => v),
            var t when t == typeof(int) => await Read<int>(v => v),
            var t when t == typeof(long) => await Read<long>(v => v),
            var t when t == typeof(short) => await Read<short>(v => v),
            _ => new double?[rows],
        };
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}

/// <summary>Either a training set or the reasons it was refused.</summary>
public readonly struct TrainingFileRead
{
    private TrainingFileRead(TrainingSet? set, TrainingRejection? rejection) => (Set, Rejection) = (set, rejection);

    public TrainingSet? Set { get; }
    public TrainingRejection? Rejection { get; }

    public static implicit operator TrainingFileRead(TrainingSet set) => new(set, null);
    public static implicit operator TrainingFileRead(TrainingRejection rejection) => new(null, rejection);
}
