using System.Data.Common;
using DuckDB.NET.Data;
using WineFunctions.Data;
using WineFunctions.Lake;
using WineFunctions.Samples;

namespace WineFunctions.Explore;

/// <summary>The rows a query returned (up to a limit), as the database typed them.</summary>
public sealed record QueryResult(IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows, bool Truncated);

/// <summary>
/// An in-memory DuckDB database whose views read the lake (<see cref="LakeViews"/>), or a data
/// file standing in for the lake's samples. Nothing is written to the lake.
/// </summary>
public sealed class ExploreSession : IAsyncDisposable
{
    private readonly DuckDBConnection _connection;

    private ExploreSession(DuckDBConnection connection, LakeSnapshot? snapshot, string source)
    {
        _connection = connection;
        Snapshot = snapshot;
        Source = source;
    }

    /// <summary>The lake files the views read; null for a data file.</summary>
    public LakeSnapshot? Snapshot { get; }

    /// <summary>The lake's location or the data file's path.</summary>
    public string Source { get; }

    /// <summary>True when the samples carry a <c>quality</c> score (a labelled data file) instead of coming from the lake.</summary>
    public bool HasQuality { get; private init; }

    public DuckDBConnection Connection => _connection;

    public static async Task<ExploreSession> OpenLakeAsync(IObjectStore store, string cacheFolder, IProgress<SnapshotProgress>? progress, CancellationToken cancellationToken)
    {
        var snapshot = await LakeSnapshot.TakeAsync(store, LakeViews.Prefixes, cacheFolder, progress, cancellationToken);
        var connection = await ConnectAsync(cancellationToken);
        try
        {
            await LakeViews.CreateAsync(connection, snapshot.Root, cancellationToken);
            return new ExploreSession(connection, snapshot, store.Location);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A data file as the <c>samples</c> of the session, with a <c>quality</c> column: the UCI CSV
    /// form (the published files, or any with a colour column), or Parquet in the sample schema
    /// with or without <c>quality</c>. The other views are empty.
    /// </summary>
    public static async Task<ExploreSession> OpenDataFileAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such data file");
        }
        var connection = await ConnectAsync(cancellationToken);
        try
        {
            if (Directory.Exists(path) || path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            {
                await LoadUciAsync(connection, path, cancellationToken);
            }
            else
            {
                await LoadParquetAsync(connection, path, cancellationToken);
            }
            await LakeViews.CreateSampleDependentViewsAsync(connection, null, cancellationToken);
            return new ExploreSession(connection, null, Path.GetFullPath(path)) { HasQuality = true };
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs one SQL statement and returns at most <paramref name="maxRows"/> rows.</summary>
    public async Task<QueryResult> QueryAsync(string sql, int maxRows, CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var rows = new List<object?[]>();
        var truncated = false;
        while (await reader.ReadAsync(cancellationToken))
        {
            if (rows.Count == maxRows)
            {
                truncated = true;
                break;
            }
            rows.Add(ReadRow(reader));
        }
        return new QueryResult(columns, rows, truncated);
    }

    /// <summary>A single value, e.g. a count.</summary>
    public async Task<T> ScalarAsync<T>(string sql, CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return (T)Convert.ChangeType(value!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    internal static object?[] ReadRow(DbDataReader reader)
    {
        var row = new object?[reader.FieldCount];
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
        }
        return row;
    }

    private static async Task<DuckDBConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        await connection.OpenAsync(cancellationToken);
        // Timestamps in the lake are UTC; show them so whatever the machine's zone.
        await LakeViews.ExecuteAsync(connection, "SET TimeZone = 'UTC'", cancellationToken);
        return connection;
    }

    private static string SamplesTable() =>
        "CREATE TABLE samples (" + string.Join(", ",
            LakeViews.SampleColumns.Select(c => $"{LakeViews.Quote(c.Name)} {c.Type}")
                .Concat(["\"date\" DATE", "\"hour\" INTEGER", "objectKey VARCHAR"])
                .Append("quality INTEGER")) + ")";

    private static async Task LoadUciAsync(DuckDBConnection connection, string path, CancellationToken cancellationToken)
    {
        var rows = Directory.Exists(path)
            ? UciWineQuality.ReadFolder(path)
            : UciWineQuality.Read(path, UciWineQuality.ColourFromFileName(path));
        await LakeViews.ExecuteAsync(connection, SamplesTable(), cancellationToken);
        using var appender = connection.CreateAppender("samples");
        var number = 0;
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var line = appender.CreateRow()
                .AppendValue(WineSample.CurrentSchema)
                .AppendValue($"row-{++number:D6}")
                .AppendNullValue().AppendNullValue().AppendNullValue().AppendNullValue() // batch, warehouse, device, takenAt: the UCI data has none
                .AppendValue(row.Colour.Name());
            foreach (var value in row.Values)
            {
                line.AppendValue(value);
            }
            line.AppendNullValue().AppendNullValue().AppendNullValue().AppendNullValue().AppendValue(row.Quality).EndRow(); // simulatedClass, date, hour, objectKey
        }
    }

    private static async Task LoadParquetAsync(DuckDBConnection connection, string path, CancellationToken cancellationToken)
    {
        var source = $"read_parquet({LakeViews.Literal(path)})";
        var present = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await using (var describe = connection.CreateCommand())
        {
            describe.CommandText = $"DESCRIBE SELECT * FROM {source}";
            await using var reader = await describe.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                present.Add(reader.GetString(0));
            }
        }
        var missing = Measurement.All.Select(m => m.Field).Append("wine").Where(c => !present.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException($"{path}: not in the sample schema, no column {string.Join(", ", missing)}");
        }
        // Columns the file lacks are null: a sample file has no quality, a training set has no partitions.
        string[] columns = [.. LakeViews.SampleColumns.Select(c => c.Name), "date", "hour", LakeViews.ObjectKey, "quality"];
        var types = LakeViews.SampleColumns.ToDictionary(c => c.Name, c => c.Type);
        types["date"] = "DATE";
        types["hour"] = "INTEGER";
        types[LakeViews.ObjectKey] = "VARCHAR";
        types["quality"] = "INTEGER";
        var projection = string.Join(", ", columns.Select(c => present.Contains(c)
            ? $"CAST({LakeViews.Quote(c)} AS {types[c]}) AS {LakeViews.Quote(c)}"
            : $"CAST(NULL AS {types[c]}) AS {LakeViews.Quote(c)}"));
        await LakeViews.ExecuteAsync(connection, $"CREATE TABLE samples AS SELECT {projection} FROM {source}", cancellationToken);
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();
}
