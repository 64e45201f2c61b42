using System.Security.Cryptography;
using System.Text.Json;
using WineFunctions.Data;
using WineFunctions.Explore;
using WineFunctions.Lake;
using WineFunctions.Samples;
using WineFunctions.Tests.Infrastructure;
using WineFunctions.Tests.Stack;

namespace WineFunctions.Tests.Explore;

public sealed class DatasetTests : IAsyncLifetime
{
    // Per warehouse: two batches per class with at least 3 scores, and one with only 2 (labelled only when N <= 2).
    private static IEnumerable<TestBatch> Warehouse(string warehouse, WineColour colour, DateTimeOffset day) =>
    [
        new($"{warehouse}-good-1", warehouse, colour, QualityClass.Good, [5, 4, 6], day),            // median 5
        new($"{warehouse}-good-2", warehouse, colour, QualityClass.Good, [3, 5, 5, 6], day),         // 3 5 5 6: lower middle 5
        new($"{warehouse}-better-1", warehouse, colour, QualityClass.Better, [6, 6, 7], day),        // 6
        new($"{warehouse}-better-2", warehouse, colour, QualityClass.Better, [7, 6, 5, 6], day),     // 5 6 6 7: 6
        new($"{warehouse}-best-1", warehouse, colour, QualityClass.Best, [7, 8, 9], day),            // 8
        new($"{warehouse}-best-2", warehouse, colour, QualityClass.Best, [7, 7, 6, 9, 8], day),      // 7
        new($"{warehouse}-two-scores", warehouse, colour, QualityClass.Best, [9, 9], day),           // too few tasters at N = 3
    ];

    private static readonly TestBatch[] Batches =
    [
        .. Warehouse("wh-01", WineColour.Red, ExploreLake.Day),
        .. Warehouse("wh-02", WineColour.White, ExploreLake.Day.AddDays(2)),
    ];

    private static readonly Dictionary<string, int> ExpectedLabels = new()
    {
        ["good-1"] = 5, ["good-2"] = 5, ["better-1"] = 6, ["better-2"] = 6, ["best-1"] = 8, ["best-2"] = 7, ["two-scores"] = 9,
    };

    private const int SamplesPerBatch = 8;
    private LakeStore _lake = null!;
    private readonly string _work = Directory.CreateTempSubdirectory("wine-dataset-").FullName;

    public async Task InitializeAsync()
    {
        _lake = await LakeStore.FolderAsync();
        await ExploreLake.WriteSamplesAsync(_lake.Store, Batches, SamplesPerBatch);
        await ExploreLake.WriteScoresAsync(_lake.Store, Batches);
        // A batch nobody has scored yet, and duplicates: 6 identical readings of one cask, and one reading equal to another batch's.
        await ExploreLake.WriteSamplesAsync(_lake.Store, [new TestBatch("wh-01-unscored", "wh-01", WineColour.Red, QualityClass.Good, [], ExploreLake.Day)], SamplesPerBatch, seed: 11, firstOffset: 5_000);
        var twin = WineSample.Create("twin", "wh-01-dup", "wh-01", "wh-01-dev-1", ExploreLake.Day.AddHours(5), WineColour.Red, [7.4, 0.7, 0, 1.9, 0.076, 11, 34, 0.9978, 3.51, 0.56, 9.4], QualityClass.Better);
        await ExploreLake.WriteRawAsync(_lake.Store, [.. Enumerable.Range(0, 6).Select(i => twin with { SampleId = $"twin-{i}" })], 9_000);
        await ExploreLake.WriteRawAsync(_lake.Store, [twin with { SampleId = "twin-other-batch", BatchId = "wh-01-better-1" }], 9_100);
        await ExploreLake.WriteScoresAsync(_lake.Store, [new TestBatch("wh-01-dup", "wh-01", WineColour.Red, QualityClass.Better, [6, 6, 6], ExploreLake.Day)]);
    }

    public async Task DisposeAsync()
    {
        await _lake.DisposeAsync();
        Directory.Delete(_work, recursive: true);
    }

    private async Task<BuiltDataset> BuildAsync(DatasetOptions options)
    {
        await using var session = await ExploreSession.OpenLakeAsync(_lake.Store, Path.Combine(_work, "cache"), null, CancellationToken.None);
        return await new DatasetBuilder(TimeProvider.System).BuildAsync(session, options, Path.Combine(_work, options.Name), null, CancellationToken.None);
    }

    private static int ExpectedLabel(string batchId) => batchId switch
    {
        "wh-01-dup" => 6,
        _ => ExpectedLabels[batchId[6..]],
    };

    [Fact]
    public async Task Each_sample_carries_its_batchs_median_taster_score_and_batches_with_fewer_than_N_scores_are_left_out()
    {
        var built = await BuildAsync(new DatasetOptions { Name = "median-n3", MinPerClass = 5 });
        var rows = await ReadBothAsync(built);
        Assert.All(rows, r => Assert.Equal(ExpectedLabel(r.Sample.BatchId), r.Quality));
        Assert.DoesNotContain(rows, r => r.Sample.BatchId.EndsWith("two-scores") || r.Sample.BatchId.EndsWith("unscored"));
        // 12 scored batches of 8, the 6 twins and the twin filed under wh-01-better-1.
        Assert.Equal(12 * SamplesPerBatch + 6 + 1, rows.Count);
        Assert.Equal(rows.Count, rows.Select(r => r.Sample.SampleId).Distinct().Count());

        var withTwo = await ReadBothAsync(await BuildAsync(new DatasetOptions { Name = "median-n2", MinTasterScores = 2, MinPerClass = 5 }));
        Assert.Equal(2 * SamplesPerBatch, withTwo.Count(r => r.Sample.BatchId.EndsWith("two-scores")));
        Assert.All(withTwo, r => Assert.Equal(ExpectedLabel(r.Sample.BatchId), r.Quality));
    }

    [Fact]
    public async Task The_split_is_stratified_seeded_and_keeps_duplicate_readings_on_one_side()
    {
        var built = await BuildAsync(new DatasetOptions { Name = "split", MinPerClass = 5, TestFraction = 0.25, Seed = 5 });
        var train = SampleParquet.ReadLabelledAsync(await File.ReadAllBytesAsync(Path.Combine(built.Folder, "train.parquet")), CancellationToken.None);
        var test = SampleParquet.ReadLabelledAsync(await File.ReadAllBytesAsync(Path.Combine(built.Folder, "test.parquet")), CancellationToken.None);
        var trainKeys = (await train).Select(DatasetSplit.MeasurementKey).ToHashSet();
        var testKeys = (await test).Select(DatasetSplit.MeasurementKey).ToHashSet();
        Assert.Empty(trainKeys.Intersect(testKeys));
        Assert.True(built.Manifest.Split.DuplicateRows >= 7, $"{built.Manifest.Split.DuplicateRows} duplicate rows");

        foreach (var quality in QualityClasses.All.Select(c => c.Name()))
        {
            var inTest = built.Manifest.Rows["test"][quality];
            var all = inTest + built.Manifest.Rows["train"][quality];
            Assert.InRange(inTest, 1, all - 1);
            Assert.InRange(inTest / (double)all, 0.1, 0.45); // a quarter, give or take whole duplicate groups
        }
        var again = await BuildAsync(new DatasetOptions { Name = "split-again", MinPerClass = 5, TestFraction = 0.25, Seed = 5 });
        Assert.Equal((await test).Select(r => r.Sample.SampleId), (await ReadAsync(again, "test.parquet")).Select(r => r.Sample.SampleId));
        var other = await BuildAsync(new DatasetOptions { Name = "split-other-seed", MinPerClass = 5, TestFraction = 0.25, Seed = 6 });
        Assert.NotEqual((await test).Select(r => r.Sample.SampleId), (await ReadAsync(other, "test.parquet")).Select(r => r.Sample.SampleId));
    }

    [Fact]
    public async Task The_manifest_counts_rows_per_class_hashes_the_files_and_lists_the_source_objects()
    {
        var built = await BuildAsync(new DatasetOptions { Name = "manifest", MinPerClass = 5, WriteCsv = true });
        var manifest = JsonSerializer.Deserialize<JsonElement>(await File.ReadAllBytesAsync(Path.Combine(built.Folder, "manifest.json")));
        Assert.Equal("manifest", manifest.GetProperty("name").GetString());
        Assert.Equal(3, manifest.GetProperty("label").GetProperty("minTasterScores").GetInt32());
        foreach (var file in manifest.GetProperty("files").EnumerateArray())
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(built.Folder, file.GetProperty("name").GetString()!));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), file.GetProperty("sha256").GetString());
        }
        var rows = await ReadBothAsync(built);
        foreach (var quality in QualityClasses.All)
        {
            Assert.Equal(rows.Count(r => r.Class == quality),
                manifest.GetProperty("rows").GetProperty("train").GetProperty(quality.Name()).GetInt32() + manifest.GetProperty("rows").GetProperty("test").GetProperty(quality.Name()).GetInt32());
        }
        var sources = manifest.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("key").GetString()!).ToList();
        Assert.Contains(sources, k => k.StartsWith("raw/samples/date=2026-11-26/hour=09/", StringComparison.Ordinal));
        Assert.Contains(sources, k => k.StartsWith("ratings/taster/", StringComparison.Ordinal) && k.Contains("wh-02-best-2-score-4"));
        Assert.DoesNotContain(sources, k => k.Contains("two-scores"));

        // The CSV form reads back with the UCI reader: same rows, same labels.
        var csv = UciWineQuality.Read(Path.Combine(built.Folder, "train.csv"), null);
        Assert.Equal(built.Manifest.Rows["train"].Values.Sum(), csv.Count);
        var trainParquet = await SampleParquet.ReadLabelledAsync(await File.ReadAllBytesAsync(Path.Combine(built.Folder, "train.parquet")), CancellationToken.None);
        Assert.Equal(trainParquet.Select(r => (r.Quality, r.Sample.Wine, r.Sample.Alcohol)), csv.Select(r => (r.Quality, r.Colour, r.Values[10])));
    }

    [Fact]
    public async Task A_class_below_the_minimum_is_refused_with_the_numbers()
    {
        var refused = await Assert.ThrowsAsync<DatasetRefusedException>(() => BuildAsync(new DatasetOptions { Name = "thin", MinPerClass = 36 }));
        // good 32, better 32 + 7 duplicates, best 32.
        Assert.Contains("too few rows in good (32), best (32)", refused.Message);
        Assert.Contains("at least 36", refused.Message);
        Assert.Contains("better 39", refused.Message);

        var nothing = await Assert.ThrowsAsync<DatasetRefusedException>(() => BuildAsync(new DatasetOptions { Name = "none", From = new DateOnly(2027, 1, 1) }));
        Assert.Contains("no labelled samples", nothing.Message);
        Assert.Contains($"{Batches.Length + 1} batches have taster scores", nothing.Message);
    }

    [Fact]
    public async Task Filters_by_warehouse_colour_and_date_pick_only_matching_samples()
    {
        var byWarehouse = await ReadBothAsync(await BuildAsync(new DatasetOptions { Name = "wh-02", WarehouseId = "wh-02", MinPerClass = 5 }));
        Assert.Equal(6 * SamplesPerBatch, byWarehouse.Count);
        Assert.All(byWarehouse, r => Assert.Equal(WineColour.White, r.Sample.Wine));
        var byColourAndDay = await ReadBothAsync(await BuildAsync(new DatasetOptions
        {
            Name = "red-day", Colour = WineColour.Red, From = DateOnly.FromDateTime(ExploreLake.Day.UtcDateTime), To = DateOnly.FromDateTime(ExploreLake.Day.UtcDateTime), MinPerClass = 5,
        }));
        Assert.Equal(6 * SamplesPerBatch + 7, byColourAndDay.Count);
        Assert.All(byColourAndDay, r => Assert.Equal("wh-01", r.Sample.WarehouseId));
    }

    [Fact]
    public async Task An_upload_puts_train_parquet_last_and_a_name_is_used_once()
    {
        await using var s3 = await LakeStore.S3rverAsync();
        var built = await BuildAsync(new DatasetOptions { Name = "upload", MinPerClass = 5 });
        var recording = new RecordingStore(s3.Store);
        await DatasetBuilder.UploadAsync(recording, built, null, CancellationToken.None);
        Assert.Equal(["training/upload/test.parquet", "training/upload/manifest.json", "training/upload/train.parquet"], recording.Puts);
        var stored = await s3.Store.GetAsync("training/upload/train.parquet", CancellationToken.None);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(built.Folder, "train.parquet")), stored!.Content);
        var again = await Assert.ThrowsAsync<DatasetRefusedException>(() => DatasetBuilder.UploadAsync(recording, built, null, CancellationToken.None));
        Assert.Contains("choose another name", again.Message);
        Assert.Equal(3, recording.Puts.Count);
    }

    [Fact]
    public async Task Wine_dataset_cuts_uploads_and_refuses_from_the_command_line()
    {
        var lake = _lake.Store.Location;
        var (exitCode, output) = await WineUpTests.RunWineAsync(_work, "dataset", "--lake", lake, "--name", "cli-set", "--min-per-class", "5", "--csv", "--upload");
        Assert.True(exitCode == 0, output);
        Assert.Contains("training/upload", output.Replace("cli-set", "upload"));
        foreach (var file in new[] { "train.parquet", "test.parquet", "train.csv", "test.csv", "manifest.json" })
        {
            Assert.True(File.Exists(Path.Combine(_work, ".wine", "datasets", "cli-set", file)), file);
        }
        Assert.NotNull(await _lake.Store.GetAsync("training/cli-set/train.parquet", CancellationToken.None));
        Assert.Null(await _lake.Store.GetAsync("training/cli-set/train.csv", CancellationToken.None));

        var (refusedCode, refused) = await WineUpTests.RunWineAsync(_work, "dataset", "--lake", lake, "--name", "cli-thin", "--min-per-class", "36");
        Assert.Equal(1, refusedCode);
        Assert.Contains("too few rows in good (32), best (32)", refused.ReplaceLineEndings(" ").Replace("  ", " "));
        Assert.DoesNotContain("   at ", refused);
    }

    private static async Task<IReadOnlyList<LabelledSample>> ReadAsync(BuiltDataset built, string file) =>
        await SampleParquet.ReadLabelledAsync(await File.ReadAllBytesAsync(Path.Combine(built.Folder, file)), CancellationToken.None);

    private static async Task<List<LabelledSample>> ReadBothAsync(BuiltDataset built) =>
    [
        .. await SampleParquet.ReadLabelledAsync(await File.ReadAllBytesAsync(Path.Combine(built.Folder, "train.parquet")), CancellationToken.None),
        .. await SampleParquet.ReadLabelledAsync(await File.ReadAllBytesAsync(Path.Combine(built.Folder, "test.parquet")), CancellationToken.None),
    ];

    /// <summary>The real store, remembering the order of writes.</summary>
    private sealed class RecordingStore(IObjectStore inner) : DelegatingObjectStore(inner)
    {
        public List<string> Puts { get; } = [];

        public override Task PutAsync(string key, ReadOnlyMemory<byte> content, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
        {
            Puts.Add(key);
            return base.PutAsync(key, content, metadata, cancellationToken);
        }
    }
}
