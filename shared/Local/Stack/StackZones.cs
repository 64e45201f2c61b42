using Microsoft.Extensions.Logging;
using WineFunctions.Lake;
using WineFunctions.Zones;

namespace WineFunctions.Stack;

/// <summary>
/// The trust zones of the local stack: by default every function and the lake share the zone
/// <c>local</c>, so nothing crosses; <c>wine up --zones sink=edge,lake=core</c> puts them apart so
/// the crossings appear under <c>audit/</c>.
/// </summary>
public sealed record StackZones
{
    /// <summary>What can be put in a zone of its own: the functions of the stack that touch the lake, and the lake.</summary>
    public static readonly IReadOnlyList<string> Places = ["sink", "predict", "train", "ratings", "lake"];

    public static readonly StackZones Shared = new();

    public IReadOnlyDictionary<string, string> Zones { get; init; } = new Dictionary<string, string>();

    /// <summary>A function not given a zone of its own runs next to the lake, in the lake's zone.</summary>
    public string Of(string place) => Zones.GetValueOrDefault(place, place == "lake" ? ZoneSettings.Local : Of("lake"));

    public bool Split => Places.Select(Of).Distinct().Count() > 1;

    /// <summary>
    /// The lake as <paramref name="function"/> sees it from its zone; with <paramref name="grants"/>, only
    /// as far as its cloud grant reaches (the audit records it writes included).
    /// </summary>
    public IObjectStore Open(IObjectStore lake, string function, TimeProvider time, ILoggerFactory loggers, LakeGrantUsage? grants = null) =>
        Granted(lake, function switch { "train" => "train-trigger", "ratings" => "ratings-api", _ => function }, grants, loggers)
            .InZone(new ZoneSettings { Name = Of(function) }, Of("lake"), function, time, loggers.CreateLogger<ZonedObjectStore>());

    /// <summary>The lake within <paramref name="function"/>'s grant, or all of it when grants are not enforced.</summary>
    public static IObjectStore Granted(IObjectStore lake, string function, LakeGrantUsage? grants, ILoggerFactory loggers) =>
        grants is null ? lake : new GrantedObjectStore(lake, LakeGrant.Of(function), grants, loggers.CreateLogger<GrantedObjectStore>());

    /// <summary>Reads <c>place=zone,place=zone</c>, e.g. <c>sink=edge,lake=core</c>; a bad entry is a <see cref="FormatException"/> naming it.</summary>
    public static StackZones Parse(string text)
    {
        var zones = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split('=', StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || !Places.Contains(parts[0]))
            {
                throw new FormatException($"--zones: '{entry}' is not place=zone with place one of {string.Join(", ", Places)}");
            }
            if (!ZoneSettings.IsValidName(parts[1]))
            {
                throw new FormatException($"--zones: zone '{parts[1]}' must be lower-case letters, digits and hyphens, starting with a letter");
            }
            if (!zones.TryAdd(parts[0], parts[1]))
            {
                throw new FormatException($"--zones: '{parts[0]}' is given twice");
            }
        }
        return new StackZones { Zones = zones };
    }
}
