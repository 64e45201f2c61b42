namespace WineFunctions.Ratings;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>The API's database (configuration section <c>Ratings:Database</c>): an embedded SQLite file by default, PostgreSQL in production.</summary>
public sealed record RatingsDatabase
{
    public DatabaseProvider Provider { get; init; } = DatabaseProvider.Sqlite;

    /// <summary>SQLite: e.g. <c>Data Source=.wine/ratings.db</c>; PostgreSQL: an Npgsql connection string.</summary>
    public string ConnectionString { get; init; } = "Data Source=" + Path.Combine(".wine", "ratings.db");

    public IReadOnlyList<string> Problems() => string.IsNullOrWhiteSpace(ConnectionString)
        ? ["Ratings:Database:ConnectionString is required"]
        : [];

    public IRatingsStore Open(TimeProvider time) => new SqlRatingsStore(OpenDialect(), time);

    internal SqlDialect OpenDialect() => Provider switch
    {
        DatabaseProvider.Postgres => SqlDialect.Postgres(ConnectionString),
        _ => SqlDialect.Sqlite(ConnectionString),
    };
}
