using WineFunctions.Ratings;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Ratings;

/// <summary>The contract on the embedded default: a SQLite file.</summary>
public sealed class SqliteRatingsApiTests : RatingsApiContract, IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("wine-ratings-db-");
    private int _databases;

    protected override Task<RatingsDatabase> NewDatabaseAsync() => Task.FromResult(new RatingsDatabase
    {
        Provider = DatabaseProvider.Sqlite,
        ConnectionString = $"Data Source={Path.Combine(_folder.FullName, $"ratings-{++_databases}.db")}",
    });

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }
}

/// <summary>One real PostgreSQL server for the PostgreSQL run of the contract; each test gets its own database.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public PostgresServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await PostgresServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>The contract on PostgreSQL, the production database.</summary>
public sealed class PostgresRatingsApiTests(PostgresFixture postgres) : RatingsApiContract, IClassFixture<PostgresFixture>
{
    protected override async Task<RatingsDatabase> NewDatabaseAsync() => new()
    {
        Provider = DatabaseProvider.Postgres,
        ConnectionString = await postgres.Server.CreateDatabaseAsync(),
    };
}
