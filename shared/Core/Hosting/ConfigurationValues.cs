using Microsoft.Extensions.Configuration;

namespace WineFunctions.Hosting;

/// <summary>Settings read by hand, without the binder's reflection (NativeAOT), each failure naming its setting.</summary>
public static class ConfigurationValues
{
    /// <summary>A named value of <typeparamref name="T"/>, case-insensitive; numbers and combinations are refused, since they parse as an enum too.</summary>
    /// <exception cref="FormatException">The value is not a name of <typeparamref name="T"/>; the message names the setting.</exception>
    public static T Enum<T>(IConfigurationSection section, string key, T fallback) where T : struct, System.Enum => section[key] switch
    {
        null => fallback,
        var text when System.Enum.GetNames<T>().FirstOrDefault(name => name.Equals(text.Trim(), StringComparison.OrdinalIgnoreCase)) is { } name => System.Enum.Parse<T>(name),
        var text => throw new FormatException($"{section.Path}:{key} is '{text}', not one of {string.Join(", ", System.Enum.GetNames<T>())}"),
    };

    /// <summary><paramref name="text"/> as an absolute http or https URL; null when it is not one.</summary>
    public static Uri? HttpUrl(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" ? url : null;
}
