using System.CommandLine;
using WineFunctions.Cli;

// Ctrl-C and SIGTERM cancel the command's token; it has this long to stop cleanly and print its summary.
return await WineCommand.Create().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(15) });
