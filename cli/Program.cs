using System.CommandLine;
using System.Runtime.InteropServices;
using WineFunctions.Cli;

// Ctrl-C and SIGTERM ask the command to stop in order (the stages hand on what they hold) and print its
// summary, at any moment, start-up included; a second signal ends the process at once.
using var stop = new CancellationTokenSource();
void OnSignal(PosixSignalContext signal)
{
    if (stop.IsCancellationRequested)
    {
        return; // the second: the runtime's own termination
    }
    signal.Cancel = true;
    // Off the signal's thread: cancellation runs callbacks and continuations inline.
    _ = Task.Run(stop.Cancel);
}
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
return await WineCommand.Create().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, stop.Token);
