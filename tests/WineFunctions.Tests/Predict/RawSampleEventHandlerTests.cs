using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using WineFunctions.Lake;
using WineFunctions.Lambda;
using WineFunctions.Prediction;
using WineFunctions.Samples;
using WineFunctions.Simulation;
using WineFunctions.Tests.Infrastructure;
using WineFunctions.Training;
using WineFunctions.Models;

namespace WineFunctions.Tests.Predict;

/// <summary>The predict handler on S3 events, with raw objects in a real (folder) lake.</summary>
public sealed class RawSampleEventHandlerTests : IAsyncLifetime
{
    private const string Bucket = "wine-lake";
    private const string RawKey = "raw/samples/date=2026-11-26/hour=18/wine.samples+3+000000000412.parquet";
    private const string EncodedRawKey = "raw/samples/date%3D2026-11-26/hour%3D18/wine.samples%2B3%2B000000000412.parquet";
    private static readonly LambdaContext Context = new("c0ffee00-0000-4000-8000-000000000001", DateTimeOffset.MaxValue, "arn:aws:lambda:eu-west-1:123456789012:function:wine-predict", null, null, null);
    private LakeStore _lake = null!;
    private RawObjectPredictor _predictor = null!;

    public async Task InitializeAsync()
    {
        _lake = await LakeStore.FolderAsync();
        await _lake.Store.PutAsync("training/simulated.csv", TrainingData.Csv(TrainingData.Simulated(600, seed: 8)), new Dictionary<string, string>(), CancellationToken.None);
        await new TrainingService(_lake.Store, TimeProvider.System, NullLogger<TrainingService>.Instance, TrainerSettings.Tuned with { Iterations = 50 })
            .TrainUploadAsync("training/simulated.csv", "test", null, CancellationToken.None);
        _predictor = RawObjectPredictor.Create(_lake.Store, new PredictSettings(), TimeProvider.System, NullLoggerFactory.Instance);
    }

    private async Task<IReadOnlyList<string>> PredictionsObjectsAsync() =>
        await _lake.Store.ListAsync(LakeLayout.Predictions, CancellationToken.None).Select(e => e.Key).ToListAsync();

    public async Task DisposeAsync() => await _lake.DisposeAsync();

    private async Task<PredictSummary> HandleAsync(string json, string? lakeBucket = Bucket)
    {
        var handler = new RawSampleEventHandler(_predictor, lakeBucket, NullLogger<RawSampleEventHandler>.Instance);
        var response = await handler.HandleAsync(Encoding.UTF8.GetBytes(json), Context, CancellationToken.None);
        return JsonSerializer.Deserialize(response, PredictJsonContext.Default.PredictSummary)!;
    }

    private async Task PutRawObjectAsync(string key, int samples)
    {
        var generator = new SampleGenerator(SampleModelFigures.Uci, new Random(5));
        var batch = generator.DrawBatch("B-0412");
        var takenAt = new DateTimeOffset(2026, 11, 26, 18, 0, 0, TimeSpan.Zero);
        var rows = Enumerable.Range(0, samples)
            .Select(i => WineSample.Create($"S-{i}", batch.BatchId, "wh-01", "wh-01-dev-1", takenAt.AddSeconds(i), batch.Colour, generator.DrawSample(batch), batch.Class))
            .ToList();
        var content = await SampleParquet.WriteAsync(rows, new Dictionary<string, string>(), CancellationToken.None);
        await _lake.Store.PutAsync(key, content, new Dictionary<string, string>(), CancellationToken.None);
    }

    [Fact]
    public async Task A_new_raw_object_is_predicted_and_everything_else_ignored()
    {
        await PutRawObjectAsync(RawKey, 7);
        var predictions = "predictions/date%3D2026-11-26/hour%3D18/wine.samples%2B3%2B000000000412.parquet";

        var summary = await HandleAsync(S3Events.Of(
            S3Events.Record("ObjectCreated:Put", Bucket, EncodedRawKey),
            S3Events.Record("ObjectCreated:Put", Bucket, predictions),
            S3Events.Record("ObjectRemoved:Delete", Bucket, EncodedRawKey),
            S3Events.Record("ObjectCreated:Copy", Bucket, "training/cut-1/train.parquet"),
            S3Events.Record("ObjectCreated:Put", "someone-elses-bucket", EncodedRawKey),
            S3Events.Record("ObjectCreated:Post", Bucket, "raw/samples/date%3D2026-11-26/hour%3D19/wine.samples%2B0%2B000000000001.parquet")));

        Assert.Equal([LakeLayout.PredictionsFor(RawKey)], await PredictionsObjectsAsync());
        Assert.Equal(
        [
            new RecordSummary(RawKey, RecordOutcome.Predicted, null, LakeLayout.PredictionsFor(RawKey), 7, 0, 1),
            new RecordSummary("predictions/date=2026-11-26/hour=18/wine.samples+3+000000000412.parquet", RecordOutcome.Ignored, "not under raw/samples/"),
            new RecordSummary(RawKey, RecordOutcome.Ignored, "not an object creation (aws:s3 ObjectRemoved:Delete)"),
            new RecordSummary("training/cut-1/train.parquet", RecordOutcome.Ignored, "not under raw/samples/"),
            new RecordSummary(RawKey, RecordOutcome.Ignored, "bucket someone-elses-bucket is not the lake's (wine-lake)"),
            new RecordSummary("raw/samples/date=2026-11-26/hour=19/wine.samples+0+000000000001.parquet", RecordOutcome.Missing, "the raw object no longer exists"),
        ], summary.Records);
    }

    [Fact]
    public async Task The_documented_events_with_foreign_keys_restores_and_no_records_predict_nothing()
    {
        var several = await HandleAsync(S3Events.SeveralRecords, lakeBucket: null);
        var console = await HandleAsync(S3Events.ConsoleS3Put, lakeBucket: null);
        var restore = await HandleAsync(S3Events.RestoreCompleted, lakeBucket: null);
        var test = await HandleAsync(S3Events.TestEvent, lakeBucket: null);

        // Without a lake bucket to compare, the raw key of the documented event goes to the predictor (and is missing here).
        Assert.Equal([RecordOutcome.Ignored, RecordOutcome.Missing, RecordOutcome.Ignored], several.Records.Select(r => r.Outcome));
        Assert.Equal(new RecordSummary("raw/samples/cellar notes/cask 12 (old).parquet", RecordOutcome.Ignored, "not a lake object key"), several.Records[2]);
        Assert.Equal(RecordOutcome.Ignored, Assert.Single(console.Records).Outcome);
        Assert.Equal(RecordOutcome.Ignored, Assert.Single(restore.Records).Outcome);
        Assert.Empty(test.Records);
        Assert.Empty(await PredictionsObjectsAsync());
    }

    [Fact]
    public async Task A_promotion_event_makes_the_next_object_use_the_new_champion()
    {
        await PutRawObjectAsync(RawKey, 5);
        var handler = new RawSampleEventHandler(_predictor, Bucket, NullLogger<RawSampleEventHandler>.Instance, _predictor.Champion.PromotionHappened);
        async Task<PredictSummary> Handle(params string[] records) => JsonSerializer.Deserialize(
            await handler.HandleAsync(Encoding.UTF8.GetBytes(S3Events.Of(records)), Context, CancellationToken.None), PredictJsonContext.Default.PredictSummary)!;
        Assert.Equal(1, (await Handle(S3Events.Record("ObjectCreated:Put", Bucket, EncodedRawKey))).Records[0].ModelVersion);

        await _lake.Store.PutAsync("training/second.csv", TrainingData.Csv(TrainingData.Simulated(600, seed: 9)), new Dictionary<string, string>(), CancellationToken.None);
        var second = await new TrainingService(_lake.Store, TimeProvider.System, NullLogger<TrainingService>.Instance, TrainerSettings.Tuned with { Iterations = 50 })
            .TrainUploadAsync("training/second.csv", "test", null, CancellationToken.None);
        await new Registry.ModelRegistry(_lake.Store).RecordAsync(Registry.PromotionOutcome.Promoted, second!.Version!.Value, "test", "new champion", DateTimeOffset.UtcNow, CancellationToken.None);

        var summary = await Handle(S3Events.Record("ObjectCreated:Put", Bucket, "models/promotions/000002.json"), S3Events.Record("ObjectCreated:Put", Bucket, EncodedRawKey));
        Assert.Equal(RecordOutcome.PromotionNoticed, summary.Records[0].Outcome);
        Assert.Equal(2, summary.Records[1].ModelVersion);
    }

    [Fact]
    public async Task The_response_is_camel_case_json_with_outcomes_as_words()
    {
        var handler = new RawSampleEventHandler(_predictor, Bucket, NullLogger<RawSampleEventHandler>.Instance);
        var response = await handler.HandleAsync(Encoding.UTF8.GetBytes(S3Events.Of(S3Events.Record("ObjectCreated:Put", Bucket, "predictions/x.parquet"))),
            Context, CancellationToken.None);

        Assert.Equal("""{"records":[{"key":"predictions/x.parquet","outcome":"Ignored","reason":"not under raw/samples/"}]}""", Encoding.UTF8.GetString(response));
    }

    [Fact]
    public async Task An_event_that_is_not_an_s3_notification_fails_with_a_clear_message()
    {
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => HandleAsync("""{"Records":"not a list"}"""));

        Assert.StartsWith("The event is not an S3 event notification", error.Message);
    }

    [Fact]
    public async Task Invalid_parquet_becomes_an_invocation_error_naming_the_object_and_the_loop_goes_on()
    {
        await _lake.Store.PutAsync(RawKey, "PAR1 this is not parquet"u8.ToArray(), new Dictionary<string, string>(), CancellationToken.None);
        await using var server = new LambdaRuntimeApiServer();
        using var client = new LambdaRuntimeClient(server.Endpoint);
        using var stop = new CancellationTokenSource();
        var handler = new RawSampleEventHandler(_predictor, Bucket, NullLogger<RawSampleEventHandler>.Instance);
        var loop = new LambdaRuntime(client, TimeProvider.System, NullLogger<LambdaRuntime>.Instance)
            .RunAsync(_ => Task.FromResult<ILambdaHandler>(handler), stop.Token);
        var bad = server.Enqueue(S3Events.Of(S3Events.Record("ObjectCreated:Put", Bucket, EncodedRawKey)), DateTimeOffset.UtcNow.AddMinutes(15));
        var ignored = server.Enqueue(S3Events.Of(S3Events.Record("ObjectCreated:Put", Bucket, "predictions/x.parquet")), DateTimeOffset.UtcNow.AddMinutes(15));

        var error = await server.OutcomeAsync(bad.RequestId);
        var response = await server.OutcomeAsync(ignored.RequestId);

        Assert.True(error.IsError);
        Assert.Equal(LambdaErrorTypes.Unhandled, error.ErrorType);
        var document = JsonDocument.Parse(error.Body).RootElement;
        Assert.Equal(nameof(RawObjectPredictionException), document.GetProperty("errorType").GetString());
        Assert.StartsWith($"Could not predict the samples of '{RawKey}' (bucket wine-lake): ", document.GetProperty("errorMessage").GetString());
        Assert.False(response.IsError);
        await stop.CancelAsync();
        Assert.Equal(0, await loop);
    }
}
