namespace WineFunctions.Data;

/// <summary>
/// Where the UCI reference data lives: <c>WINE_QUALITY_DATA</c>, else <c>data/wine-quality</c> in the
/// checkout (shipped with the product), else <c>../shared/data/wine-quality</c> beside the checkout.
/// </summary>
public static class ReferenceData
{
    public const string EnvironmentVariable = "WINE_QUALITY_DATA";

    /// <summary>The UCI folder as a command finds it: from the working directory, else from the program's own checkout.</summary>
    public static string? FindWineQualityFolder() =>
        FindWineQualityFolder(Directory.GetCurrentDirectory()) ?? FindWineQualityFolder(AppContext.BaseDirectory);

    /// <summary>The folder holding the UCI files, or null when it is not on this machine.</summary>
    public static string? FindWineQualityFolder(string startDirectory)
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured)
        {
            return HasFiles(configured) ? configured : null;
        }
        for (var dir = new DirectoryInfo(startDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WineFunctions.sln")))
            {
                return new[] { Path.Combine(dir.FullName, "data", "wine-quality"), Path.Combine(dir.FullName, "..", "shared", "data", "wine-quality") }
                    .Where(HasFiles).Select(Path.GetFullPath).FirstOrDefault();
            }
        }
        return null;
    }

    private static bool HasFiles(string folder) =>
        File.Exists(Path.Combine(folder, UciWineQuality.RedFile)) && File.Exists(Path.Combine(folder, UciWineQuality.WhiteFile));
}
