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

    public IReadOnlyList<string> Problems() => this switch
    {
        _ when !Enum.IsDefined(Provider) => [$"Ratings:Database:Provider is '{Provider}', not one of {string.Join(", ", Enum.GetNames<DatabaseProvider>())}"],
        _ when string.IsNullOrWhiteSpace(ConnectionString) => ["Ratings:Database:ConnectionString is required"],
        _ when ConnectionStringProblem() is { } problem => [$"Ratings:Database:ConnectionString is not a {Provider} connection string: {problem}"],
        _ => [],
    };

    /// <summary>The driver's own parse, which opens nothing, so a bad string stops the app at start, not at its first query.</summary>
    private string? ConnectionStringProblem()
    {
        try
        {
            _ = Provider == DatabaseProvider.Postgres
                ? new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString)
                : (System.Data.Common.DbConnectionStringBuilder)new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(ConnectionString);
            return null;
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException)
        {
            return exception.Message;
        }
    }

    public IRatingsStore Open(TimeProvider time) => new SqlRatingsStore(OpenDialect(), time);

    internal SqlDialect OpenDialect() => Provider switch
    {
        DatabaseProvider.Postgres => SqlDialect.Postgres(ConnectionString),
        _ => SqlDialect.Sqlite(ConnectionString),
    };
}
