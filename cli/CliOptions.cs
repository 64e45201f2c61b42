using System.CommandLine;

namespace WineFunctions.Cli;

/// <summary>Options several commands share, with their checks: a bad value stops the command naming the option.</summary>
internal static class CliOptions
{
    public static Option<int> Range(string name, string description, int defaultValue, int min, int max)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(r =>
        {
            var value = r.GetValueOrDefault<int>();
            if (value < min || value > max)
            {
                r.AddError($"{name} must be between {min} and {max}, not {value}.");
            }
        });
        return option;
    }

    public static Option<long?> Samples(string description)
    {
        var option = new Option<long?>("--samples") { Description = description };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<long?>() is <= 0)
            {
                r.AddError("--samples must be positive.");
            }
        });
        return option;
    }

    public static Option<double> Rate()
    {
        var option = new Option<double>("--rate") { Description = "Scans per second across all devices.", DefaultValueFactory = _ => 50 };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is not (> 0 and <= 100_000))
            {
                r.AddError("--rate must be above 0 and at most 100000 samples per second.");
            }
        });
        return option;
    }

    public static Option<double> ConnectionLoss()
    {
        var option = new Option<double>("--connection-loss")
        {
            Description = "Chance per publish that a device's network drops mid-publish (0 to 1).",
            DefaultValueFactory = _ => 0.01,
        };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is not (>= 0 and <= 1))
            {
                r.AddError("--connection-loss must be between 0 and 1.");
            }
        });
        return option;
    }
}
