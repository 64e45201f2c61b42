using WineFunctions.Explore;
using WineFunctions.Hosting;
using WineFunctions.Lake;
using WineFunctions.Ratings;
using WineFunctions.Samples;
using WineFunctions.Tests.Infrastructure;
using WineFunctions.Zones;

namespace WineFunctions.Tests.Samples;

/// <summary>Ids, names and keys end where the text ends: <c>$</c> would also match before a trailing newline.</summary>
[Trait(Categories.Name, Categories.Unit)]
public sealed class TrailingNewlineTests
{
    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void No_id_name_or_key_pattern_accepts_a_trailing_newline(string ending)
    {
        Assert.True(RatingRules.IsBatchId("wh-01-batch-1"));
        Assert.False(RatingRules.IsBatchId("wh-01-batch-1" + ending));
        Assert.True(SampleValidator.IsValidId("s-1"));
        Assert.False(SampleValidator.IsValidId("s-1" + ending));
        Assert.True(ObjectKeys.IsValid("raw/samples/a.parquet"));
        Assert.False(ObjectKeys.IsValid("raw/samples/a.parquet" + ending));
        Assert.True(ZoneSettings.IsValidName("edge"));
        Assert.False(ZoneSettings.IsValidName("edge" + ending));
        Assert.Throws<ArgumentException>(() => ObjectMetadata.Check(new Dictionary<string, string> { ["zone" + ending] = "edge" }));
        Assert.NotEmpty(new DatasetOptions { Name = "first-cut" + ending }.Problems());
    }

    [Fact]
    public async Task Credential_files_are_owner_only_from_creation_and_when_rewritten()
    {
        var folder = Directory.CreateTempSubdirectory("wine-private-");
        try
        {
            var path = Path.Combine(folder.FullName, "endpoints.json");
            await PrivateFile.WriteAllTextAsync(path, "{}", CancellationToken.None);
            Assert.Equal(PrivateFile.OwnerOnly, File.GetUnixFileMode(path));
            File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
            await PrivateFile.WriteAllTextAsync(path, "{\"password\":\"x\"}", CancellationToken.None);
            Assert.Equal(PrivateFile.OwnerOnly, File.GetUnixFileMode(path));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
