using WineFunctions.Data;

namespace WineFunctions.Tests.Infrastructure;

internal static class TestData
{
    /// <summary>The UCI Wine Quality folder, or a skip that says where it was looked for.</summary>
    public static string WineQualityFolder()
    {
        var folder = ReferenceData.FindWineQualityFolder(AppContext.BaseDirectory);
        Skip.If(folder is null,
            $"UCI Wine Quality data not found: put it in ../shared/data/wine-quality beside the checkout or set {ReferenceData.EnvironmentVariable}");
        return folder!;
    }
}
