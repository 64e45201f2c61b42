using Microsoft.Extensions.Configuration;

namespace WineFunctions.Hosting;

/// <summary>Settings read by hand, without the binder's reflection (NativeAOT), each failure naming its setting.</summary>
public static class ConfigurationValues
{
    /// <summary>A named value of <typeparamref name="T"/>, case-insensitive; numbers are refused, since any number parses as an enum.</summary>
    /// <exception cref="FormatException">The value is not a name of <typeparamref name="T"/>; the message names the setting.</exception>
    public static T Enum<T>(IConfigurationSection section, string key, T fallback) where T : struct, System.Enum => section[key] switch
    {
        null => fallback,
        var text when System.Enum.TryParse<T>(text, ignoreCase: true, out var value) && System.Enum.IsDefined(value) && !char.IsAsciiDigit(text.Trim()[0]) => value,
        var text => throw new FormatException($"{section.Path}:{key} is '{text}', not one of {string.Join(", ", System.Enum.GetNames<T>())}"),
    };
}
