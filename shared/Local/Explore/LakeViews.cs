using DuckDB.NET.Data;
using WineFunctions.Lake;
using WineFunctions.Samples;

namespace WineFunctions.Explore;

/// <summary>
/// The ready-made views a data scientist queries (docs/explore.md). Each view has a fixed list of
/// typed columns, so a kind of data the lake does not hold yet (no ratings, no predictions) is an
/// empty view of the same shape rather than an error.
/// </summary>
public static class LakeViews
{
    public const string Samples = "samples";
    public const string Predictions = "predictions";
    public const string Ratings = "ratings";
    public const string RatingEvents = "rating_events";
    public const string TasterScores = "taster_scores";
    public const string TasterScoreEvents = "taster_score_events";
    public const string SamplePredictions = "sample_predictions";
    public const string BatchScores = "batch_scores";
    public const string Batches = "batches";

    public static readonly IReadOnlyList<(string Name, string Type)> SampleColumns =
    [
        ("schema", "INTEGER"), ("sampleId", "VARCHAR"), ("batchId", "VARCHAR"), ("warehouseId", "VARCHAR"), ("deviceId", "VARCHAR"),
        ("takenAt", "TIMESTAMPTZ"), ("wine", "VARCHAR"),
        .. Measurement.All.Select(m => (m.Field, "DOUBLE")),
        ("simulatedClass", "VARCHAR"),
    ];

    // Partitions from the key, and the key of the object each row came from.
    private static readonly (string, string)[] Partitions = [("date", "DATE"), ("hour", "INTEGER"), (ObjectKey, "VARCHAR")];

    /// <summary>The column naming the lake object a row was read from.</summary>
    public const string ObjectKey = "objectKey";

    private static readonly (string Name, string Type)[] PredictionColumns =
    [
        ("sampleId", "VARCHAR"), ("batchId", "VARCHAR"), ("predictedClass", "VARCHAR"), ("probabilityGood", "DOUBLE"),
        ("probabilityBetter", "DOUBLE"), ("probabilityBest", "DOUBLE"), ("modelVersion", "INTEGER"), ("rejection", "VARCHAR"),
    ];

    private static readonly (string Name, string Type)[] RatingColumns =
    [
        ("ratingId", "VARCHAR"), ("batchId", "VARCHAR"), ("customerId", "VARCHAR"), ("stars", "INTEGER"), ("note", "VARCHAR"), ("ratedAt", "TIMESTAMPTZ"),
        ("revision", "INTEGER"), ("withdrawn", "BOOLEAN"), (ObjectKey, "VARCHAR"),
    ];

    private static readonly (string Name, string Type)[] TasterScoreColumns =
    [
        ("scoreId", "VARCHAR"), ("batchId", "VARCHAR"), ("tasterId", "VARCHAR"), ("score", "INTEGER"), ("note", "VARCHAR"), ("scoredAt", "TIMESTAMPTZ"),
        ("revision", "INTEGER"), ("withdrawn", "BOOLEAN"), (ObjectKey, "VARCHAR"),
    ];

    /// <summary>The prefixes the views read.</summary>
    public static readonly IReadOnlyList<string> Prefixes = [LakeLayout.RawSamples, LakeLayout.Predictions, LakeLayout.CustomerRatings, LakeLayout.TasterScores];

    /// <summary>Every view over the lake files under <paramref name="root"/>.</summary>
    public static async Task CreateAsync(DuckDBConnection connection, string root, CancellationToken cancellationToken)
    {
        var rawParquet = FilesUnder(root, LakeLayout.RawSamples, ".parquet");
        var rawJsonLines = FilesUnder(root, LakeLayout.RawSamples, ".jsonl");
        string[] sampleSources =
        [
            .. rawParquet ? [$"read_parquet({Glob(root, LakeLayout.RawSamples, "parquet")}, {FileOptions})"] : Array.Empty<string>(),
            .. rawJsonLines ? [$"read_json({Glob(root, LakeLayout.RawSamples, "jsonl")}, format = 'newline_delimited', {FileOptions}, columns = {JsonColumns(SampleColumns)})"] : Array.Empty<string>(),
        ];
        await ExecuteAsync(connection, View(Samples, [.. SampleColumns, .. Partitions], sampleSources, root), cancellationToken);
        await CreateSampleDependentViewsAsync(connection, root, cancellationToken);
    }

    /// <summary>The views beside <c>samples</c>, for a <c>samples</c> view or table made elsewhere (a data file instead of a lake).</summary>
    public static async Task CreateSampleDependentViewsAsync(DuckDBConnection connection, string? root, CancellationToken cancellationToken)
    {
        string[] predictionSources = root is not null && FilesUnder(root, LakeLayout.Predictions, ".parquet")
            ? [$"read_parquet({Glob(root, LakeLayout.Predictions, "parquet")}, {FileOptions})"]
            : [];
        await ExecuteAsync(connection, View(Predictions, [.. PredictionColumns, .. Partitions], predictionSources, root), cancellationToken);
        await ExecuteAsync(connection, View(RatingEvents, RatingColumns, JsonObjects(root, LakeLayout.CustomerRatings, RatingColumns), root), cancellationToken);
        await ExecuteAsync(connection, Standing(Ratings, RatingEvents, "customerId", "ratedAt", "ratingId"), cancellationToken);
        await ExecuteAsync(connection, View(TasterScoreEvents, TasterScoreColumns, JsonObjects(root, LakeLayout.TasterScores, TasterScoreColumns), root), cancellationToken);
        await ExecuteAsync(connection, Standing(TasterScores, TasterScoreEvents, "tasterId", "scoredAt", "scoreId"), cancellationToken);
        await ExecuteAsync(connection, $"""
            CREATE OR REPLACE VIEW {SamplePredictions} AS
            SELECT s.*, p.predictedClass, p.probabilityGood, p.probabilityBetter, p.probabilityBest, p.modelVersion, p.rejection
            FROM {Samples} s LEFT JOIN {Predictions} p ON p.sampleId = s.sampleId
            """, cancellationToken);
        // The label rule of docs/explore.md: the median of a batch's taster scores; of an even count, the lower middle score (a score a taster gave).
        await ExecuteAsync(connection, $"""
            CREATE OR REPLACE VIEW {BatchScores} AS
            SELECT batchId, count(*) AS tasterScores, CAST(quantile_disc(score, 0.5) AS INTEGER) AS medianScore,
                   avg(score) AS meanScore, min(scoredAt) AS firstScoredAt, max(scoredAt) AS lastScoredAt
            FROM {TasterScores} GROUP BY batchId
            """, cancellationToken);
        await ExecuteAsync(connection, $"""
            CREATE OR REPLACE VIEW {Batches} AS
            WITH s AS (
                SELECT batchId, any_value(warehouseId) AS warehouseId, any_value(wine) AS wine, count(*) AS samples,
                       min(takenAt) AS firstTakenAt, max(takenAt) AS lastTakenAt,
                       mode(simulatedClass) AS simulatedClass, mode(predictedClass) AS predictedClass,
                       count(predictedClass) AS predictedSamples
                FROM {SamplePredictions} GROUP BY batchId),
            r AS (SELECT batchId, count(*) AS ratings, avg(stars) AS meanStars FROM {Ratings} GROUP BY batchId)
            SELECT s.*, coalesce(b.tasterScores, 0) AS tasterScores, b.medianScore, b.meanScore,
                   {ClassOf("b.medianScore")} AS tasterClass,
                   coalesce(r.ratings, 0) AS ratings, r.meanStars
            FROM s LEFT JOIN {BatchScores} b USING (batchId) LEFT JOIN r USING (batchId)
            """, cancellationToken);
    }

    /// <summary>
    /// Each person's standing opinion of a batch from the lake's revisions, by the ratings API's own
    /// rule (SqlRatingsStore.ImportAsync): highest revision, then latest, then greatest id; withdrawn ones left out.
    /// Objects of the first release carry no revision: they are revision 1, not withdrawn.
    /// </summary>
    private static string Standing(string name, string events, string person, string time, string id) => $"""
        CREATE OR REPLACE VIEW {name} AS
        SELECT * EXCLUDE (standing) FROM (
            SELECT * REPLACE (coalesce(revision, 1) AS revision, coalesce(withdrawn, false) AS withdrawn),
                   row_number() OVER (PARTITION BY batchId, {person} ORDER BY coalesce(revision, 1) DESC, {time} DESC, {id} DESC) AS standing
            FROM {events})
        WHERE standing = 1 AND NOT withdrawn
        """;

    /// <summary>SQL for the class of a 0-10 score, as <see cref="QualityClasses.FromScore"/> cuts it.</summary>
    public static string ClassOf(string score) =>
        $"CASE WHEN {score} IS NULL THEN NULL WHEN {score} <= 5 THEN 'good' WHEN {score} < 7 THEN 'better' ELSE 'best' END";

    /// <summary>The names of the views, for the interactive prompt's help.</summary>
    public static readonly IReadOnlyList<string> All = [Samples, Predictions, Ratings, RatingEvents, TasterScores, TasterScoreEvents, SamplePredictions, BatchScores, Batches];

    private const string FileOptions = "hive_partitioning = true, hive_types = {'date': DATE, 'hour': INTEGER}, union_by_name = true, filename = true";

    private static string[] JsonObjects(string? root, string prefix, (string Name, string Type)[] columns) =>
        root is not null && FilesUnder(root, prefix, ".json")
            // The date partition is the day of ratedAt/scoredAt, which the object carries itself.
            ? [$"read_json({Glob(root, prefix, "json")}, format = 'auto', hive_partitioning = false, filename = true, columns = {JsonColumns(columns.Where(c => c.Name != ObjectKey))})"]
            : [];

    private static string View(string name, IReadOnlyList<(string Name, string Type)> columns, IReadOnlyList<string> sources, string? root)
    {
        // DuckDB's filename column is the file's path; the object's key is the path below the lake's root.
        var rootPrefix = Literal(root is null ? "" : Path.GetFullPath(root).Replace('\\', '/').TrimEnd('/') + "/");
        var projection = string.Join(", ", columns.Select(c => c switch
        {
            { Name: ObjectKey } => $"CAST(replace(replace(filename, '\\', '/'), {rootPrefix}, '') AS VARCHAR) AS {Quote(c.Name)}",
            // Parquet.Net writes the min/max statistics of a microsecond timestamp in milliseconds
            // (parquet-dotnet issue 769): raw objects written before SampleParquet moved to milliseconds
            // would make DuckDB skip every row group on `takenAt >= …`. Recomputed from its value, the
            // column is no longer filtered by the file's statistics.
            { Type: "TIMESTAMPTZ" } => $"to_timestamp(0) + to_microseconds(epoch_us({Quote(c.Name)})) AS {Quote(c.Name)}",
            _ => $"CAST({Quote(c.Name)} AS {c.Type}) AS {Quote(c.Name)}",
        }));
        var body = sources.Count == 0
            ? $"SELECT {string.Join(", ", columns.Select(c => $"CAST(NULL AS {c.Type}) AS {Quote(c.Name)}"))} WHERE false"
            : string.Join(" UNION ALL ", sources.Select(s => $"SELECT {projection} FROM {s}"));
        return $"CREATE OR REPLACE VIEW {name} AS {body}";
    }

    private static string JsonColumns(IEnumerable<(string Name, string Type)> columns) =>
        "{" + string.Join(", ", columns.Select(c => $"{Literal(c.Name)}: {Literal(c.Type)}")) + "}";

    private static bool FilesUnder(string root, string prefix, string extension)
    {
        var folder = Path.Combine(root, prefix);
        return Directory.Exists(folder) && Directory.EnumerateFiles(folder, "*" + extension, SearchOption.AllDirectories)
            .Any(f => !Path.GetFileName(f).StartsWith('.'));
    }

    private static string Glob(string root, string prefix, string extension) =>
        Literal(Path.Combine(Path.GetFullPath(root), prefix).Replace('\\', '/').TrimEnd('/') + "/**/*." + extension);

    public static string Literal(string value) => "'" + value.Replace("'", "''") + "'";

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    public static async Task ExecuteAsync(DuckDBConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
