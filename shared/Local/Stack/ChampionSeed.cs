using System.Text;
using WineFunctions.Data;
using WineFunctions.Lake;
using WineFunctions.Registry;

namespace WineFunctions.Stack;

/// <summary>
/// A first model for a lake that has none: the UCI Wine Quality data shipped with the product
/// (data/wine-quality) goes up as an ordinary training upload, so the stack's own train-trigger
/// trains, registers and promotes it through the gate, with its card, like any other version.
/// </summary>
public static class ChampionSeed
{
    public const string Upload = LakeLayout.TrainingSets + "uci-wine-quality.csv";

    /// <summary>Puts the seed upload into <paramref name="lake"/> unless it has a champion; returns the upload's key, or null when none is needed.</summary>
    public static async Task<string?> PlantAsync(IObjectStore lake, string dataFolder, CancellationToken cancellationToken)
    {
        if (await new ModelRegistry(lake).GetChampionAsync(cancellationToken) is not null)
        {
            return null;
        }
        var content = Encoding.UTF8.GetBytes(UciWineQuality.Write(UciWineQuality.ReadFolder(dataFolder)));
        // Create-if-absent: a seed left by an earlier run whose training did not finish is trained as it is.
        await lake.CreateAsync(Upload, content, new Dictionary<string, string>(), cancellationToken);
        return Upload;
    }
}
