using System.Diagnostics;
using Npgsql;
using WineFunctions.Mqtt;

namespace WineFunctions.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL server (Debian's package) in a temporary data folder on a free loopback
/// port. PostgreSQL refuses to run as root, so as root it runs as the package's postgres user.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly ServerProcess _process;
    private int _databases;

    private PostgresServer(ServerProcess process) => _process = process;

    public int Port => _process.Port;

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb"))).Order().LastOrDefault()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException("PostgreSQL is missing: install it with ./test.sh (apt-get install postgresql)");
        }
        var folder = Directory.CreateTempSubdirectory("wine-postgres-");
        File.SetUnixFileMode(folder.FullName, (UnixFileMode)0b111_111_111);
        var data = Path.Combine(folder.FullName, "data");
        var asRoot = Environment.UserName == "root";
        ProcessStartInfo Command(string program, params string[] arguments) => asRoot
            ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", Path.Combine(bin, program), .. arguments])
            : new ProcessStartInfo(Path.Combine(bin, program), arguments);

        var init = Command("initdb", "-D", data, "-U", "wine", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C");
        init.RedirectStandardOutput = true;
        init.RedirectStandardError = true;
        using (var initdb = Process.Start(init)!)
        {
            var errors = initdb.StandardError.ReadToEndAsync();
            await initdb.StandardOutput.ReadToEndAsync();
            await initdb.WaitForExitAsync();
            if (initdb.ExitCode != 0)
            {
                throw new InvalidOperationException($"initdb failed: {await errors}");
            }
        }
        var port = EmbeddedMqttBroker.FreeLoopbackPort();
        // fsync off: a test server's data need not survive a power cut.
        var server = await ServerProcess.StartAsync("postgres",
            Command("postgres", "-D", data, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-h", "127.0.0.1",
                "-k", folder.FullName, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "max_connections=200"),
            folder, port);
        var postgres = new PostgresServer(server);
        // Listening is not yet accepting logins: wait for a query to go through.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(postgres.ConnectionString("postgres"));
                await connection.OpenAsync();
                return postgres;
            }
            catch (NpgsqlException) when (attempt < 100)
            {
                await Task.Delay(100);
            }
        }
    }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=wine;Database={database};Pooling=true;Maximum Pool Size=100";

    /// <summary>A new empty database on the server.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"wine_{Interlocked.Increment(ref _databases)}";
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await _process.DisposeAsync();
    }
}
