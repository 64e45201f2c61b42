using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using WineFunctions.Ratings;

namespace WineFunctions.Tests.Ratings;

/// <summary>The ratings store stamps its rows with the app's <see cref="TimeProvider"/>, not the machine's clock.</summary>
public sealed class RatingsStoreClockTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("wine-ratings-clock-");

    [Fact]
    public async Task Migrations_and_indexed_lake_objects_are_stamped_with_the_apps_time()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2031, 3, 4, 5, 6, 7, TimeSpan.Zero));
        var connectionString = $"Data Source={Path.Combine(_work.FullName, "ratings.db")}";
        await using (var store = new RatingsDatabase { ConnectionString = connectionString }.Open(time))
        {
            await store.MigrateAsync(CancellationToken.None);
            time.Advance(TimeSpan.FromMinutes(1));
            Assert.True(await store.IndexAsync("samples/wh-01/object-1.jsonl", [], CancellationToken.None));
        }

        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        Assert.Equal(time.GetUtcNow().AddMinutes(-1).ToUnixTimeMilliseconds(), await ScalarAsync(connection, "SELECT MIN(applied_ms) FROM schema_migrations"));
        Assert.Equal(time.GetUtcNow().ToUnixTimeMilliseconds(), await ScalarAsync(connection, "SELECT indexed_ms FROM indexed_objects"));
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _work.Delete(recursive: true);
    }
}
