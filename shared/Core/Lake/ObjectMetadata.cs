using System.Text.RegularExpressions;

namespace WineFunctions.Lake;

/// <summary>
/// Metadata keys every store accepts: Azure wants C# identifiers, S3 lower-cases them, so keys are
/// lower-case letters, digits and underscores.
/// </summary>
public static partial class ObjectMetadata
{
    public const string SampleCount = "sample_count";
    public const string FirstOffset = "first_offset";
    public const string LastOffset = "last_offset";
    public const string SchemaVersion = "schema_version";
    public const string Source = "source";
    public const string Format = "format";

    /// <summary>The trust zone of the function that wrote the object, and how sensitive its data is (shared/Core/Zones).</summary>
    public const string Zone = "zone";
    public const string Classification = "classification";

    [GeneratedRegex(@"^[a-z][a-z0-9_]{0,63}\z")]
    private static partial Regex KeyPattern();

    public static void Check(IReadOnlyDictionary<string, string> metadata)
    {
        foreach (var key in metadata.Keys)
        {
            if (!KeyPattern().IsMatch(key))
            {
                throw new ArgumentException($"metadata key '{key}' must be lower-case letters, digits and underscores", nameof(metadata));
            }
        }
    }
}

/// <summary>Object keys every store accepts: relative '/'-separated paths without empty or dot segments.</summary>
public static partial class ObjectKeys
{
    [GeneratedRegex(@"^(?!.*//)(?!/)[A-Za-z0-9=+_.:/-]{1,900}(?<!/)\z")]
    private static partial Regex KeyPattern();

    public static bool IsValid(string key) =>
        KeyPattern().IsMatch(key) && !key.Split('/').Any(segment => segment is "." or ".." || segment.StartsWith('.'));

    public static string Check(string key)
    {
        if (!IsValid(key))
        {
            throw new ArgumentException($"'{key}' is not a valid object key", nameof(key));
        }
        return key;
    }
}
