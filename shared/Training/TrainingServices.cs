using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using WineFunctions.Hosting;
using WineFunctions.Lake;

namespace WineFunctions.Training;

/// <summary>Training, wired in one place: the train-trigger, wine up's lake functions and wine train.</summary>
public static class TrainingServices
{
    public const string GateSection = "Training:Gate";

    /// <summary>
    /// The train-trigger's services from its configuration: the lake it sees (<c>Lake</c>, <c>Zone</c>),
    /// the promotion gate (<c>Training:Gate</c>) and where uploads are trained (<c>Training:Target</c>).
    /// A bad setting stops the host at start, naming it.
    /// </summary>
    public static IServiceCollection AddTraining(this IServiceCollection services, IConfiguration configuration, string function)
    {
        GateSettings gate;
        TrainingTarget target;
        try
        {
            gate = configuration.GetSection(GateSection).Get<GateSettings>() ?? new GateSettings();
            // By name only: the binder would take "7" for a target that does not exist.
            target = ConfigurationValues.Enum(configuration.GetSection("Training"), "Target", TrainingTarget.InProcess);
        }
        catch (Exception exception) when (exception is InvalidOperationException or FormatException)
        {
            // A value of the wrong type: the message names the setting.
            throw new SettingsException($"Training settings: {exception.Message}");
        }
        SettingsException.ThrowIfAny("Training settings", gate.Problems());
        services.AddFunctionLake(configuration, function);
        return services.AddTraining(gate, target);
    }

    /// <summary>The training service, the upload watcher and the worker over the registered lake.</summary>
    public static IServiceCollection AddTraining(this IServiceCollection services, GateSettings? gate = null, TrainingTarget target = TrainingTarget.InProcess)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new TrainingService(sp.GetRequiredService<IObjectStore>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<TrainingService>>(), gate: gate));
        services.AddSingleton(new TrainingDispatch(target));
        services.AddSingleton<TrainingUploadWatcher>();
        services.AddSingleton<TrainingJobs>();
        return services;
    }
}
