using System.Diagnostics;
using System.Net.Sockets;

namespace WineFunctions.Tests.Infrastructure;

/// <summary>A real server the tests start as a process on a loopback port, with a data folder of its own; killed and cleaned up on dispose.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly DirectoryInfo _folder;
    private readonly string _name;
    private readonly ProcessStartInfo _start;
    private Process _process;

    private ServerProcess(string name, ProcessStartInfo start, Process process, DirectoryInfo folder, int port)
    {
        (_name, _start, _process, _folder) = (name, start, process, folder);
        Port = port;
    }

    public int Port { get; }

    /// <summary>The server's process id, for benchmarks that read its CPU time.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Starts the server and returns once it accepts connections on <paramref name="port"/>.</summary>
    public static async Task<ServerProcess> StartAsync(string name, ProcessStartInfo start, DirectoryInfo folder, int port)
    {
        var server = new ServerProcess(name, start, Launch(start), folder, port);
        await server.WaitListeningAsync();
        return server;
    }

    /// <summary>Stops the server as a service manager does (SIGTERM: it saves its state and exits), then starts it again on the same folder and port.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAgainAsync();
    }

    /// <summary>SIGTERM, and waits for the exit: an outage until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        var (exitCode, output) = await Commands.RunAsync("kill", ["-TERM", _process.Id.ToString()], Path.GetTempPath(), TimeSpan.FromSeconds(10));
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"kill failed: {output}");
        }
        await _process.WaitForExitAsync();
    }

    /// <summary>Starts the stopped server again on the same folder and port.</summary>
    public async Task StartAgainAsync()
    {
        _process.Dispose();
        _process = Launch(_start);
        await WaitListeningAsync();
    }

    private static Process Launch(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task WaitListeningAsync()
    {
        var process = _process;
        var port = Port;
        var name = _name;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (process.HasExited)
            {
                await DisposeAsync();
                throw new InvalidOperationException($"{name} exited with code {process.ExitCode}");
            }
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _folder.Delete(recursive: true);
    }
}
