using System.Text.RegularExpressions;

namespace WineFunctions.Zones;

/// <summary>
/// The trust zone a function runs in (configuration section <c>Zone</c>, set by Terraform as
/// <c>Zone__Name</c> and <c>Zone__Cloud</c>). Each cloud area is its own zone; data crossing from one
/// zone to another is recorded under <c>audit/</c> in the lake.
/// </summary>
public sealed partial record ZoneSettings
{
    public const string Local = "local";

    public string Name { get; init; } = Local;

    /// <summary>The cloud the zone is in (aws, azure, local): for people reading the audit.</summary>
    public string Cloud { get; init; } = Local;

    [GeneratedRegex(@"^[a-z][a-z0-9-]{0,31}\z")]
    private static partial Regex NamePattern();

    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);

    /// <summary>What is wrong with these settings and the lake's home zone (<c>Lake:Zone</c>, may be unset), naming each setting.</summary>
    public IReadOnlyList<string> Problems(string? lakeZone) =>
    [
        .. Problem("Zone:Name", Name),
        .. Problem("Zone:Cloud", Cloud),
        .. lakeZone is null ? [] : Problem("Lake:Zone", lakeZone),
    ];

    private static string[] Problem(string setting, string value) =>
        IsValidName(value) ? [] : [$"{setting} '{value}' must be 1-32 lower-case letters, digits and hyphens, starting with a letter"];
}
