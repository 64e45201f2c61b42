using System.Text;
using WineFunctions.Data;
using WineFunctions.Prediction;
using WineFunctions.Samples;
using WineFunctions.Tests.Infrastructure;
using WineFunctions.Training;

namespace WineFunctions.Tests.Training;

[Trait(Categories.Name, Categories.Unit)]
public sealed class TrainingFileTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static async Task<IReadOnlyList<string>> ReasonsAsync(string name, string content)
    {
        var read = await TrainingFile.ReadAsync(name, Encoding.UTF8.GetBytes(content), None);
        Assert.Null(read.Set);
        return read.Rejection!.Reasons;
    }

    private static string Header => Encoding.UTF8.GetString(TrainingData.Csv([])).TrimEnd();

    [Fact]
    public async Task A_well_formed_upload_reads_every_row()
    {
        var rows = TrainingData.Simulated(300, seed: 3);
        var read = await TrainingFile.ReadAsync("training/sim.csv", TrainingData.Csv(rows), None);
        Assert.Null(read.Rejection);
        Assert.Equal(300, read.Set!.Rows.Count);
        Assert.Equal(rows.Select(r => r.Quality), read.Set.Rows.Select(r => r.Quality));
    }

    [Fact]
    public async Task Malformed_uploads_are_rejected_with_every_reason()
    {
        Assert.Contains("empty", Assert.Single(await ReasonsAsync("training/empty.csv", "")));
        Assert.Contains("no rows", Assert.Single(await ReasonsAsync("training/header.csv", Header)));
        Assert.Contains("'alcohol'", Assert.Single(await ReasonsAsync("training/columns.csv", Header.Replace("\"alcohol\"", "\"alcool\"") + "\n")));

        var good = Encoding.UTF8.GetString(TrainingData.Csv(TrainingData.Simulated(300, seed: 4))).Split('\n');
        var withText = string.Join('\n', good.Select((line, i) => i == 2 ? "abc" + line[line.IndexOf(';')..] : line));
        Assert.Contains(await ReasonsAsync("training/text.csv", withText), r => r.Contains(":3: 'abc' in column 'fixed acidity' is not a number"));

        var outOfRange = string.Join('\n', good.Select((line, i) => i == 5 ? line.Replace(";5;", ";12;").Replace(";6;", ";12;").Replace(";7;", ";12;") : line));
        Assert.Contains(await ReasonsAsync("training/range.csv", outOfRange), r => r.Contains("0 to 10; found 12"));

        var fewBest = Encoding.UTF8.GetString(TrainingData.Csv(TrainingData.Simulated(300, seed: 5).Where(r => r.Quality != 7).Concat(
            TrainingData.Simulated(300, seed: 6).Where(r => r.Quality == 7).Take(3))));
        Assert.Contains(await ReasonsAsync("training/few.csv", fewBest), r => r.Contains("best has 3"));

        Assert.Contains("Parquet", Assert.Single(await ReasonsAsync("training/broken.parquet", "PAR1 not really")));
    }

    [Fact]
    public async Task Training_and_prediction_read_the_same_csv_forms()
    {
        // Contract field names, commas and a quoted cell: the form `wine predict` has always read.
        var header = string.Join(',', Measurement.All.Select(m => m.Field).Append("quality").Append("wine"));
        var values = new[] { "7.4", "0.7", "0", "1.9", "0.076", "11", "34", "0.9978", "3.51", "0.56", "\"9.4\"" };
        var csv = $"{header}\n{string.Join(',', values)},5,red\n{string.Join(',', values)},6,white\n";

        var uci = UciWineQuality.ReadChecked(new StringReader(csv), null, "fields.csv");
        Assert.Empty(uci.Problems);
        Assert.Equal([(WineColour.Red, 5), (WineColour.White, 6)], uci.Rows.Select(r => (r.Colour, r.Quality)));
        Assert.All(uci.Rows, r => Assert.Equal(9.4, r.Values[^1]));

        var predict = await SampleFile.ReadAsync("fields.csv", Encoding.UTF8.GetBytes(csv), null, DateTimeOffset.UnixEpoch, None);
        Assert.Equal(uci.Rows.Select(r => r.Values), predict.Select(r => r.Sample.Measurements()));
        Assert.Equal([5, 6], predict.Select(r => r.Quality!.Value));

        // Both name a missing column the same way, with the separator they read.
        var lacking = csv.Replace("alcohol,", "alcool,", StringComparison.Ordinal);
        var problem = Assert.Single(UciWineQuality.ReadChecked(new StringReader(lacking), null, "short.csv").Problems);
        Assert.StartsWith("short.csv: the header lacks 'alcohol' (columns: fixedAcidity,", problem);
        Assert.EndsWith("; separator ',')", problem);
        var rejected = await Assert.ThrowsAsync<InvalidDataException>(() => SampleFile.ReadAsync("short.csv", Encoding.UTF8.GetBytes(lacking), null, DateTimeOffset.UnixEpoch, None));
        Assert.Equal(problem, rejected.Message);
    }
}
