using WineFunctions.Data;
using WineFunctions.Samples;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Training;

/// <summary>The paper comparison runs on the UCI rows only: the shipped files are recognised in any order, other or partial data is not.</summary>
[Trait(Categories.Name, Categories.Unit)]
public sealed class UciFingerprintTests
{
    [Fact]
    public void The_shipped_files_are_recognised_per_colour_in_any_order_and_nothing_else_is()
    {
        var rows = UciWineQuality.ReadFolder(TestData.WineQualityFolder());
        Assert.Equal([WineColour.Red, WineColour.White], UciFingerprint.CompleteColours(rows).Order());
        Assert.Equal([WineColour.Red, WineColour.White], UciFingerprint.CompleteColours(rows.AsEnumerable().Reverse()).Order());
        Assert.Equal([WineColour.White], UciFingerprint.CompleteColours(rows.Where(r => r.Colour == WineColour.White)));
        Assert.Equal([WineColour.White], UciFingerprint.CompleteColours(rows.Skip(1))); // one red row short
        var nudged = rows.Select((r, i) => i == 0 ? r with { Quality = r.Quality + 1 } : r).ToList();
        Assert.Equal([WineColour.White], UciFingerprint.CompleteColours(nudged));
        Assert.Empty(UciFingerprint.CompleteColours(TrainingData.Simulated(6497, seed: 3)));
    }
}
