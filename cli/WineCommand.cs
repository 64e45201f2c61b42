using System.CommandLine;

namespace WineFunctions.Cli;

/// <summary>The <c>wine</c> command: the local stack and the tools around the lake.</summary>
public static class WineCommand
{
    public static RootCommand Create() => new("WineFunctions: wine samples from cask to lake to model.")
    {
        UpCommand.Create(),
        SimulateCommand.Create(),
        BrokerConfigCommand.Create(),
        RatingsCommand.Create(),
    };
}
