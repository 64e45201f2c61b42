using System.Diagnostics;
using System.Net.Sockets;
using WineFunctions.Mqtt;

namespace WineFunctions.Tests.Infrastructure;

/// <summary>
/// A storage emulator from npm (s3rver, azurite) that ./test.sh installs into .test-tools,
/// started on a free loopback port with its own data folder.
/// </summary>
public sealed class NodeServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _data;

    private NodeServer(Process process, DirectoryInfo data, int port)
    {
        _process = process;
        _data = data;
        Port = port;
    }

    public int Port { get; }

    public static Task<NodeServer> StartS3rverAsync() =>
        StartAsync("s3rver", (data, port) => ["-d", data, "--port", port.ToString(), "--address", "127.0.0.1", "--silent"]);

    public static Task<NodeServer> StartAzuriteAsync() =>
        StartAsync("azurite-blob", (data, port) => ["--blobHost", "127.0.0.1", "--blobPort", port.ToString(), "--location", data, "--silent", "--skipApiVersionCheck", "--loose", "--disableTelemetry"]);

    private static async Task<NodeServer> StartAsync(string tool, Func<string, int, string[]> arguments)
    {
        var executable = Path.Combine(RepositoryRoot(), ".test-tools", "node_modules", ".bin", tool);
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"{executable} is missing: ./test.sh installs it (npm install --prefix .test-tools s3rver azurite)");
        }
        var data = Directory.CreateTempSubdirectory($"wine-{tool}-");
        var port = EmbeddedMqttBroker.FreeLoopbackPort();
        var start = new ProcessStartInfo(executable, arguments(data.FullName, port))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // s3rver signs list continuation tokens with DES, which OpenSSL 3 refuses without this.
        start.Environment["NODE_OPTIONS"] = "--openssl-legacy-provider";
        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new NodeServer(process, data, port);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{tool} exited with code {process.ExitCode}");
            }
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return server;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WineFunctions.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("WineFunctions.sln not found above " + AppContext.BaseDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _data.Delete(recursive: true);
    }
}
