using System.CommandLine;

namespace WineFunctions.Cli;

/// <summary>The <c>wine</c> command: the local stack and the tools around the lake.</summary>
public static class WineCommand
{
    public static RootCommand Create() => new("WineFunctions: wine samples from cask to lake to model.")
    {
        UpCommand.Create(),
        SimulateCommand.Create(),
        SinkCommand.Create(),
        BrokerConfigCommand.Create(),
        TrainCommands.Upload(),
        TrainCommands.Train(),
        ModelCommands.Models(),
        ModelCommands.Promote(),
        ModelCommands.Rollback(),
        PredictCommand.Create(),
        ExploreCommand.Create(),
        DatasetCommand.Create(),
        ReportCommand.Create(),
        AuditCommand.Create(),
        TraceCommand.Create(),
        RatingsCommand.Create(),
    };
}
