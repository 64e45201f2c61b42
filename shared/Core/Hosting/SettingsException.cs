namespace WineFunctions.Hosting;

/// <summary>A setting is missing or wrong: the program stops at start, and the message names every setting at fault.</summary>
public sealed class SettingsException(string message) : InvalidOperationException(message)
{
    public static void ThrowIfAny(string what, IEnumerable<string> problems)
    {
        if (problems.ToList() is { Count: > 0 } list)
        {
            throw new SettingsException($"{what}: {string.Join("; ", list)}");
        }
    }
}
