using System.CommandLine;
using WineFunctions.Data;
using WineFunctions.Simulation;

namespace WineFunctions.Cli;

public static class SimulateCommand
{
    public static Command Create()
    {
        var command = new Command("simulate", "Run the warehouse device simulator against an MQTT broker.");
        command.Subcommands.Add(Fit());
        return command;
    }

    private static Command Fit()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "Folder with the UCI winequality-red.csv and winequality-white.csv.", Required = true };
        var output = new Option<FileInfo?>("--out") { Description = "Write the C# figures here instead of standard output." };
        var command = new Command("fit", "Fit the simulator's generative model to the UCI data and print it as C# figures.") { data, output };
        command.SetAction(parse =>
        {
            var model = SampleModelFit.Fit(UciWineQuality.ReadFolder(parse.GetValue(data)!.FullName));
            var code = SampleModelFit.ToCSharp(model);
            if (parse.GetValue(output) is { } file)
            {
                File.WriteAllText(file.FullName, code);
            }
            else
            {
                Console.Out.Write(code);
            }
        });
        return command;
    }
}
