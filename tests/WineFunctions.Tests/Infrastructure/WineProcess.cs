using System.Diagnostics;
using WineFunctions.Stack;

namespace WineFunctions.Tests.Infrastructure;

/// <summary>A <c>wine</c> command (the CLI as built beside the tests) running as its own process.</summary>
internal sealed class WineProcess(ProcessStartInfo start) : ChildProcess(start)
{
    public static WineProcess Start(string workingDirectory, params string[] args) =>
        new(new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "wine.dll"), .. args]) { WorkingDirectory = workingDirectory });

    /// <summary>The endpoints <c>wine up --endpoints-file</c> writes once everything listens.</summary>
    public async Task<StackEndpoints> EndpointsAsync(string file, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!File.Exists(file))
        {
            Assert.False(HasExited, $"wine exited: {Output}");
            Assert.True(DateTime.UtcNow < deadline, $"wine wrote no endpoints file: {Output}");
            await Task.Delay(100);
        }
        return await StackEndpoints.ReadAsync(file, CancellationToken.None);
    }
}
