using System.Diagnostics;
using System.Net.Sockets;
using WineFunctions.Mqtt;

namespace WineFunctions.Tests.Infrastructure;

/// <summary>A real mosquitto broker (Debian's package) on a free loopback port, for the life of a test.</summary>
public sealed class MosquittoServer : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/mosquitto";
    private readonly Process _process;
    private readonly DirectoryInfo _folder;

    private MosquittoServer(Process process, DirectoryInfo folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    /// <param name="extraConfig">More mosquitto.conf lines, e.g. password_file and acl_file.</param>
    public static async Task<MosquittoServer> StartAsync(string extraConfig = "allow_anonymous true")
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: install it with ./test.sh (apt-get install mosquitto)");
        }
        var folder = Directory.CreateTempSubdirectory("wine-mosquitto-");
        // Started as root, mosquitto drops to the mosquitto user, which must still reach its files.
        File.SetUnixFileMode(folder.FullName, (UnixFileMode)0b111_111_111);
        var port = EmbeddedMqttBroker.FreeLoopbackPort();
        var config = Path.Combine(folder.FullName, "mosquitto.conf");
        await File.WriteAllTextAsync(config, $"""
            listener {port} 127.0.0.1
            persistence true
            persistence_location {folder.FullName}/
            log_dest stderr
            log_type error
            log_type warning
            max_queued_messages 100000
            {extraConfig}

            """);
        var process = Process.Start(new ProcessStartInfo(Executable, ["-c", config])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var server = new MosquittoServer(process, folder, port);
        await server.WaitUntilListeningAsync();
        return server;
    }

    public string PathInFolder(string name) => Path.Combine(_folder.FullName, name);

    private async Task WaitUntilListeningAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"mosquitto exited with code {_process.ExitCode}");
            }
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        throw new TimeoutException($"mosquitto did not listen on port {Port} within 15 s");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _folder.Delete(recursive: true);
    }
}
