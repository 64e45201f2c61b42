using System.Diagnostics;
using System.Text;
using WineFunctions.Stack;

namespace WineFunctions.Tests.Infrastructure;

/// <summary>A <c>wine</c> command (the CLI as built beside the tests) running as its own process, its output kept; killed on dispose if still running.</summary>
internal sealed class WineProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private WineProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output { get { lock (_output) return _output.ToString(); } }

    public int Id => _process.Id;

    public int ExitCode => _process.ExitCode;

    public static WineProcess Start(string workingDirectory, params string[] args) =>
        new(Process.Start(new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "wine.dll"), .. args])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!);

    /// <summary>The endpoints <c>wine up --endpoints-file</c> writes once everything listens.</summary>
    public async Task<StackEndpoints> EndpointsAsync(string file, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!File.Exists(file))
        {
            Assert.False(_process.HasExited, $"wine exited: {Output}");
            Assert.True(DateTime.UtcNow < deadline, $"wine wrote no endpoints file: {Output}");
            await Task.Delay(100);
        }
        return await StackEndpoints.ReadAsync(file, CancellationToken.None);
    }

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var patience = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(patience.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
