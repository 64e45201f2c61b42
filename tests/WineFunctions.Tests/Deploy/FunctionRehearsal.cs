using System.Collections;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using WineFunctions.Ingest;
using WineFunctions.Lake;
using WineFunctions.Prediction;
using WineFunctions.Ratings;
using WineFunctions.Ratings.Http;
using WineFunctions.Samples;
using WineFunctions.Sink;
using WineFunctions.Telemetry;
using WineFunctions.Training;
using WineFunctions.Zones;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Deploy;

/// <summary>
/// A function started the way its host starts it, with exactly the settings given: every problem is
/// a setting nothing reads (or read under another name), a binding expression (<c>%Name%</c>) or
/// connection the settings leave unresolved, or a start-up validation that refuses them.
/// </summary>
internal static partial class FunctionRehearsal
{
    public static readonly IReadOnlyList<string> Functions = ["ingest", "sink", "train-trigger", "predict", "ratings-api"];

    /// <summary>The settings sections each function's code reads, as the shapes configuration binds them to.</summary>
    private static readonly Dictionary<string, Dictionary<string, Type>> Sections = new()
    {
        ["ingest"] = new() { ["Bridge"] = typeof(BridgeOptions) },
        ["sink"] = new() { ["Lake"] = typeof(LakeSettings), ["Zone"] = typeof(ZoneSettings), ["Sink"] = typeof(SinkSection) },
        ["train-trigger"] = new() { ["Lake"] = typeof(LakeSettings), ["Zone"] = typeof(ZoneSettings), ["Training"] = typeof(TrainingSection) },
        ["predict"] = new() { ["Lake"] = typeof(LakeSettings), ["Zone"] = typeof(ZoneSettings), ["Predict"] = typeof(PredictSection) },
        ["ratings-api"] = new() { ["Lake"] = typeof(LakeSettings), ["Zone"] = typeof(ZoneSettings), ["Ratings"] = typeof(RatingsOptions) },
    };

    /// <summary>Settings the platform reads, or OpenTelemetry's exporters that <see cref="TelemetryExport"/> wires (checked at start below).</summary>
    private static readonly HashSet<string> Platform =
    [
        "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "AzureWebJobsStorage", "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID", "AZURE_CLIENT_ID",
        "AZURE_FUNCTIONS_ENVIRONMENT", TelemetryExport.AzureMonitorSetting, TelemetryExport.OtlpEndpointSetting, TelemetryExport.OtlpProtocolSetting,
        .. TelemetryExport.SignalSettings, "OPENTELEMETRY_COLLECTOR_CONFIG_URI",
    ];

    /// <summary>The settings functions/predict/collector.yaml names (<c>${env:NAME}</c>).</summary>
    private static readonly Lazy<HashSet<string>> PredictCollectorSettings = new(() =>
        [.. PredictCollectorConfig.Settings(File.ReadAllText(PredictCollectorConfig.Path))]);

    private static readonly Dictionary<string, string> FunctionApps = new()
    {
        ["sink"] = "functions/sink",
        ["train-trigger"] = "functions/train-trigger",
        ["ratings-api"] = "functions/ratings-api",
    };

    public static IReadOnlyList<string> Problems(string function, IReadOnlyDictionary<string, string> settings)
    {
        var problems = new List<string>();
        var app = FunctionApps.GetValueOrDefault(function);
        // Every function's bindings read their settings; those of functions the settings disable need not resolve.
        var metadata = app is null ? [] : FunctionsMetadata.Read(app).Select(f => f!.AsObject()).ToList();
        var all = Bindings(metadata);
        var enabled = Bindings(metadata.Where(f => settings.GetValueOrDefault($"AzureWebJobs.{(string)f["name"]!}.Disabled") is not ("true" or "True" or "1")));
        foreach (var name in settings.Keys)
        {
            if (Unread(function, name, all, metadata) is { } problem)
            {
                problems.Add(problem);
            }
        }
        problems.AddRange(enabled.Expressions.Where(e => !settings.ContainsKey(e)).Select(e => $"the binding expression %{e}% is not resolved by any setting"));
        problems.AddRange(enabled.Connections.Where(c => !settings.Keys.Any(k => k == c || k.StartsWith(c + "__", StringComparison.Ordinal)))
            .Select(c => $"the binding connection '{c}' is given neither as {c} nor as {c}__*"));
        if (Start(function, settings) is { } refused)
        {
            problems.Add(refused);
        }
        return problems;
    }

    /// <summary>Null when the function's code or platform reads the setting; else why not.</summary>
    private static string? Unread(string function, string name, (HashSet<string> Expressions, HashSet<string> Connections) bound, IReadOnlyList<JsonObject> metadata)
    {
        if (Platform.Contains(name) || bound.Expressions.Contains(name) || bound.Connections.Any(c => name == c || name.StartsWith(c + "__", StringComparison.Ordinal)))
        {
            return null;
        }
        if (function == "predict" && PredictCollectorSettings.Value.Contains(name))
        {
            return null; // read by the collector layer, from the configuration packaged with predict
        }
        if (DisabledFunction().Match(name) is { Success: true } disabled)
        {
            return metadata.Any(f => (string)f["name"]! == disabled.Groups[1].Value)
                ? null
                : $"{name}: {function} has no function named {disabled.Groups[1].Value}";
        }
        var path = name.Split("__");
        return Sections[function].TryGetValue(path[0], out var type)
            ? Binds(type, name, path[1..])
            : $"{name}: nothing in {function} reads it";
    }

    /// <summary>Null when configuration binding would put the setting into a property of <paramref name="type"/>; else why not.</summary>
    public static string? Binds(Type type, string setting, IEnumerable<string> path)
    {
        foreach (var segment in path)
        {
            if (type.IsAssignableTo(typeof(IDictionary)) ||
                (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)))
            {
                return null; // any key
            }
            if (type != typeof(string) && type.IsAssignableTo(typeof(IEnumerable)))
            {
                return segment.Length == 0 || segment.All(char.IsAsciiDigit) ? null : $"{setting}: '{segment}' is not a list index";
            }
            var property = type.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                return $"{setting}: {type.Name} has no property '{segment}'";
            }
            type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        }
        // A value given to a whole section is ignored by configuration binding.
        return type.IsClass && type != typeof(string) && type != typeof(Uri) && !type.IsAssignableTo(typeof(IEnumerable))
            ? $"{setting}: names the section {type.Name}, not a value"
            : null;
    }

    /// <summary>The function's own start-up checks on the settings, as its host runs them; null when it starts.</summary>
    private static string? Start(string function, IReadOnlyDictionary<string, string> settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key.Replace("__", ":", StringComparison.Ordinal), (string?)s.Value)))
            .Build();
        try
        {
            TelemetryExport.OtlpEndpoint(configuration);
            var services = new ServiceCollection().AddLogging();
            switch (function)
            {
                case "ingest":
                    var options = configuration.GetSection("Bridge").Get<BridgeOptions>() ?? new BridgeOptions();
                    return options.Problems() is { Count: > 0 } problems ? string.Join("; ", problems) : null;
                case "sink":
                    services.AddSink(configuration);
                    break;
                case "train-trigger":
                    services.AddTraining(configuration, function);
                    break;
                case "predict":
                    PredictFunction.FromConfiguration(configuration, TimeProvider.System, NullLoggerFactory.Instance);
                    return null;
                case "ratings-api":
                    services.AddRatingsApi(configuration, function);
                    break;
            }
            var provider = services.BuildServiceProvider();
            try
            {
                provider.GetRequiredService<IObjectStore>();
                if (function == "ratings-api")
                {
                    provider.GetRequiredService<WineFunctions.Ratings.IRatingsStore>(); // the database the settings name
                }
            }
            finally
            {
                provider.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException)
        {
            return $"{function} refuses to start: {e.Message}";
        }
    }

    /// <summary>The %Name% expressions and connection names of these functions' bindings (functions.metadata).</summary>
    private static (HashSet<string> Expressions, HashSet<string> Connections) Bindings(IEnumerable<JsonObject> functions)
    {
        var (expressions, connections) = (new HashSet<string>(), new HashSet<string>());
        foreach (var binding in functions.SelectMany(f => f["bindings"]!.AsArray()))
        {
            foreach (var (key, value) in binding!.AsObject())
            {
                if (value?.GetValueKind() != System.Text.Json.JsonValueKind.String)
                {
                    continue;
                }
                var text = (string)value!;
                expressions.UnionWith(Expression().Matches(text).Select(m => m.Groups[1].Value));
                if (key.Equals("connection", StringComparison.OrdinalIgnoreCase) && text.Length > 0)
                {
                    connections.Add(text);
                }
            }
        }
        return (expressions, connections);
    }

    [GeneratedRegex("%([A-Za-z0-9_.:-]+)%")]
    private static partial Regex Expression();

    [GeneratedRegex(@"^AzureWebJobs\.([A-Za-z0-9_]+)\.Disabled\z")]
    private static partial Regex DisabledFunction();

    // The shapes of the sections read key by key rather than bound to a class.
    private sealed record SinkSection(SampleFormat Format);

    private sealed record PredictSection(int ChampionCheckSeconds);

    private sealed record TrainingSection(TrainingTarget Target, GateSettings Gate);
}
