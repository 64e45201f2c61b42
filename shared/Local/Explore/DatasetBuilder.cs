using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using WineFunctions.Data;
using WineFunctions.Lake;
using WineFunctions.Samples;

namespace WineFunctions.Explore;

/// <summary>A data set written to a folder: its manifest and the files' paths.</summary>
public sealed record BuiltDataset(string Folder, DatasetManifest Manifest);

/// <summary>
/// Cuts a labelled data set from the lake: each batch scored by enough tasters is labelled with
/// the median score, its samples (filtered by date, colour and warehouse) carry that label, and
/// the rows are split into train and test sets (<see cref="DatasetSplit"/>). Writes the training
/// set contract (docs/lake-layout.md): <c>train.parquet</c> and <c>test.parquet</c> in the sample
/// schema plus an int <c>quality</c> column, and <c>manifest.json</c>.
/// </summary>
public sealed class DatasetBuilder(TimeProvider time)
{
    public const string TrainFile = "train.parquet";
    public const string TestFile = "test.parquet";
    public const string ManifestFile = "manifest.json";
    public const string LabelRule = "median of the batch's taster scores (of an even count, the lower middle score)";

    public async Task<BuiltDataset> BuildAsync(ExploreSession session, DatasetOptions options, string folder, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        if (options.Problems() is { Count: > 0 } problems)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(options));
        }
        progress?.Report("labelling batches");
        var rows = await LabelledRowsAsync(session, options, cancellationToken);
        await RefuseThinClassesAsync(session, options, rows, cancellationToken);

        progress?.Report($"splitting {rows.Count} rows");
        var split = DatasetSplit.Split(rows.Select(r => r.Labelled).ToList(), options.TestFraction, options.Seed);

        progress?.Report("writing files");
        Directory.CreateDirectory(folder);
        var footer = new Dictionary<string, string> { ["dataset"] = options.Name };
        var files = new List<DatasetFile>
        {
            await WriteFileAsync(folder, TrainFile, await SampleParquet.WriteLabelledAsync(split.Train, footer, cancellationToken), split.Train.Count, cancellationToken),
            await WriteFileAsync(folder, TestFile, await SampleParquet.WriteLabelledAsync(split.Test, footer, cancellationToken), split.Test.Count, cancellationToken),
        };
        if (options.WriteCsv)
        {
            files.Add(await WriteFileAsync(folder, "train.csv", Csv(split.Train), split.Train.Count, cancellationToken));
            files.Add(await WriteFileAsync(folder, "test.csv", Csv(split.Test), split.Test.Count, cancellationToken));
        }

        progress?.Report("hashing sources");
        var manifest = new DatasetManifest
        {
            Name = options.Name,
            CreatedAt = time.GetUtcNow(),
            Lake = session.Source,
            Label = new DatasetLabel(LabelRule, options.MinTasterScores),
            Filters = new DatasetFilters(options.From, options.To, options.Colour?.ToString().ToLowerInvariant(), options.WarehouseId),
            Split = new DatasetSplitSettings(options.TestFraction, options.Seed, split.DuplicateGroups, split.DuplicateRows),
            Batches = rows.Select(r => r.Labelled.Sample.BatchId).Distinct().Count(),
            Rows = new Dictionary<string, IReadOnlyDictionary<string, int>> { ["train"] = PerClass(split.Train), ["test"] = PerClass(split.Test) },
            Files = files,
            Sources = await SourcesAsync(session, rows, cancellationToken),
        };
        await File.WriteAllBytesAsync(Path.Combine(folder, ManifestFile), JsonSerializer.SerializeToUtf8Bytes(manifest, ExploreJsonContext.Default.DatasetManifest), cancellationToken);
        return new BuiltDataset(folder, manifest);
    }

    /// <summary>
    /// Puts the set under <c>training/{name}/</c>: test.parquet first, then manifest.json, and
    /// train.parquet last, because its arrival starts training with the sibling test set. A name
    /// already used is refused: a second arrival would train again on different data.
    /// </summary>
    public static async Task<IReadOnlyList<string>> UploadAsync(IObjectStore store, BuiltDataset dataset, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var prefix = $"{LakeLayout.TrainingSets}{dataset.Manifest.Name}/";
        await foreach (var existing in store.ListAsync(prefix, cancellationToken))
        {
            throw new DatasetRefusedException($"{store.Location}/{existing.Key} exists: the data set '{dataset.Manifest.Name}' was uploaded before; choose another name");
        }
        var keys = new List<string>();
        foreach (var file in new[] { TestFile, ManifestFile, TrainFile })
        {
            progress?.Report($"uploading {prefix}{file}");
            var key = prefix + file;
            await store.PutAsync(key, await File.ReadAllBytesAsync(Path.Combine(dataset.Folder, file), cancellationToken),
                new Dictionary<string, string> { [ObjectMetadata.Source] = "wine-dataset" }, cancellationToken);
            keys.Add(key);
        }
        return keys;
    }

    private sealed record Row(LabelledSample Labelled, string? ObjectKey);

    private static async Task<List<Row>> LabelledRowsAsync(ExploreSession session, DatasetOptions options, CancellationToken cancellationToken)
    {
        var columns = string.Join(", ", LakeViews.SampleColumns.Select(c => "s." + LakeViews.Quote(c.Name)));
        await using var command = session.Connection.CreateCommand();
        command.CommandText = $"""
            SELECT {columns}, b.medianScore, s.{LakeViews.ObjectKey}
            FROM {LakeViews.Samples} s JOIN {LakeViews.BatchScores} b USING (batchId)
            WHERE {Where(options)}
            -- a sample stored twice (an at-least-once upstream beyond the sink's memory) counts once
            QUALIFY row_number() OVER (PARTITION BY s.sampleId ORDER BY s.{LakeViews.ObjectKey}) = 1
            ORDER BY s.sampleId
            """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<Row>();
        var measurements = Measurement.All.Count;
        while (await reader.ReadAsync(cancellationToken))
        {
            var sample = WineSample.Create(reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5), reader.GetString(6) == "red" ? WineColour.Red : WineColour.White,
                Enumerable.Range(7, measurements).Select(reader.GetDouble).ToArray(),
                reader.IsDBNull(7 + measurements) ? null : Enum.Parse<QualityClass>(reader.GetString(7 + measurements), ignoreCase: true))
                with { Schema = reader.GetInt32(0) };
            rows.Add(new Row(new LabelledSample(sample, reader.GetInt32(8 + measurements)), reader.IsDBNull(9 + measurements) ? null : reader.GetString(9 + measurements)));
        }
        return rows;
    }

    private static string Where(DatasetOptions options)
    {
        var conditions = new List<string> { string.Create(CultureInfo.InvariantCulture, $"b.tasterScores >= {options.MinTasterScores}") };
        if (options.From is { } from)
        {
            conditions.Add($"s.takenAt >= {StartOfDay(from)}");
        }
        if (options.To is { } to)
        {
            conditions.Add($"s.takenAt < {StartOfDay(to.AddDays(1))}");
        }
        if (options.Colour is { } colour)
        {
            conditions.Add($"s.wine = {LakeViews.Literal(colour.Name())}");
        }
        if (options.WarehouseId is { } warehouse)
        {
            conditions.Add($"s.warehouseId = {LakeViews.Literal(warehouse)}");
        }
        return string.Join(" AND ", conditions);
    }

    private static string StartOfDay(DateOnly day) => $"TIMESTAMPTZ {LakeViews.Literal(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " 00:00:00+00")}";

    /// <summary>Nothing labelled, or a class with too few rows: refused, with the numbers that say why.</summary>
    private static async Task RefuseThinClassesAsync(ExploreSession session, DatasetOptions options, List<Row> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            var scored = await session.ScalarAsync<long>($"SELECT count(*) FROM {LakeViews.BatchScores}", cancellationToken);
            var enough = await session.ScalarAsync<long>(string.Create(CultureInfo.InvariantCulture, $"SELECT count(*) FROM {LakeViews.BatchScores} WHERE tasterScores >= {options.MinTasterScores}"), cancellationToken);
            var samples = await session.ScalarAsync<long>($"SELECT count(*) FROM {LakeViews.Samples}", cancellationToken);
            throw new DatasetRefusedException(
                $"no labelled samples: the lake holds {samples} samples; {scored} batches have taster scores, {enough} of them at least {options.MinTasterScores}; none of their samples match the filters");
        }
        var counts = PerClass(rows.Select(r => r.Labelled));
        var thin = counts.Where(c => c.Value < options.MinPerClass).ToList();
        if (thin.Count > 0)
        {
            throw new DatasetRefusedException(
                $"too few rows in {string.Join(", ", thin.Select(c => $"{c.Key} ({c.Value})"))}: each class needs at least {options.MinPerClass}; " +
                $"the set has {string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}"))} from {rows.Select(r => r.Labelled.Sample.BatchId).Distinct().Count()} batches");
        }
    }

    private static IReadOnlyDictionary<string, int> PerClass(IEnumerable<LabelledSample> rows)
    {
        var list = rows.ToList();
        return QualityClasses.All.ToDictionary(c => c.Name(), c => list.Count(r => r.Class == c));
    }

    /// <summary>Raw sample objects the rows came from and the taster score objects of their batches, each hashed.</summary>
    private static async Task<IReadOnlyList<DatasetSource>> SourcesAsync(ExploreSession session, List<Row> rows, CancellationToken cancellationToken)
    {
        var snapshot = session.Snapshot ?? throw new InvalidOperationException("a data set is cut from a lake");
        var keys = rows.Select(r => r.ObjectKey).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var batches = string.Join(", ", rows.Select(r => r.Labelled.Sample.BatchId).Distinct().Select(LakeViews.Literal));
        var scores = await session.QueryAsync($"SELECT DISTINCT {LakeViews.ObjectKey} FROM {LakeViews.TasterScores} WHERE batchId IN ({batches})", int.MaxValue, cancellationToken);
        keys.UnionWith(scores.Rows.Select(r => (string)r[0]!));
        var sources = new List<DatasetSource>();
        foreach (var entry in snapshot.Objects.Where(o => keys.Contains(o.Key)))
        {
            sources.Add(new DatasetSource(entry.Key, entry.Size, await Sha256Async(snapshot.PathOf(entry.Key), cancellationToken)));
        }
        return sources;
    }

    private static byte[] Csv(IEnumerable<LabelledSample> rows)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        writer.Write(UciWineQuality.Write(rows.Select(r => new LabelledMeasurements(r.Sample.Wine, r.Sample.Measurements(), r.Quality))));
        return Encoding.UTF8.GetBytes(writer.ToString());
    }

    private static async Task<DatasetFile> WriteFileAsync(string folder, string name, byte[] content, int rows, CancellationToken cancellationToken)
    {
        await File.WriteAllBytesAsync(Path.Combine(folder, name), content, cancellationToken);
        return new DatasetFile(name, rows, content.Length, Convert.ToHexStringLower(SHA256.HashData(content)));
    }

    private static async Task<string> Sha256Async(string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
    }
}
