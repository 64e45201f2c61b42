using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using WineFunctions.Lake;
using WineFunctions.Lambda;

namespace WineFunctions.Prediction;

/// <summary>What the predict function did with one record of an S3 event.</summary>
public enum RecordOutcome
{
    Predicted,
    /// <summary>The raw object was gone by the time it was read: logged and skipped, not retried.</summary>
    Missing,
    /// <summary>A promotion event from the model registry: the champion is read again before the next object.</summary>
    PromotionNoticed,
    /// <summary>Not a new raw sample object: another event type, another prefix (above all the function's own predictions), another bucket.</summary>
    Ignored,
}

public sealed record RecordSummary(
    string? Key,
    RecordOutcome Outcome,
    string? Reason = null,
    string? PredictionsKey = null,
    int? Samples = null,
    int? Rejected = null,
    int? ModelVersion = null);

/// <summary>The predict function's response: one entry per record, in the event's order.</summary>
public sealed record PredictSummary(IReadOnlyList<RecordSummary> Records);

/// <summary>Predicting a raw object failed (unreadable Parquet, say): the invocation fails with this message.</summary>
public sealed class RawObjectPredictionException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// The predict function: for each ObjectCreated record of a key under <see cref="LakeLayout.RawSamples"/>
/// asks the predictor to predict that object; everything else is ignored, so the function's own writes
/// under <see cref="LakeLayout.Predictions"/> never trigger it again.
/// </summary>
/// <remarks>An ObjectCreated record under the registry's promotions prefix calls <paramref name="promotionRecorded"/>, so a new champion is used from the next object on.</remarks>
public sealed partial class RawSampleEventHandler(IRawObjectPredictor predictor, string? lakeBucket, ILogger<RawSampleEventHandler> logger,
    Action? promotionRecorded = null) : ILambdaHandler
{
    public async Task<byte[]> HandleAsync(ReadOnlyMemory<byte> invocationEvent, LambdaContext context, CancellationToken cancellationToken)
    {
        S3EventNotification notification;
        try
        {
            notification = JsonSerializer.Deserialize(invocationEvent.Span, S3EventJsonContext.Default.S3EventNotification)
                ?? throw new JsonException("the event is null");
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"The event is not an S3 event notification: {exception.Message}", exception);
        }
        var summaries = new List<RecordSummary>();
        foreach (var record in notification.Records ?? [])
        {
            summaries.Add(await HandleRecordAsync(record, context, cancellationToken));
        }
        return JsonSerializer.SerializeToUtf8Bytes(new PredictSummary(summaries), PredictJsonContext.Default.PredictSummary);
    }

    private async Task<RecordSummary> HandleRecordAsync(S3EventRecord record, LambdaContext context, CancellationToken cancellationToken)
    {
        var key = record.S3?.Object?.DecodedKey;
        var bucket = record.S3?.Bucket?.Name;
        if (promotionRecorded is not null && record.IsObjectCreated && key?.StartsWith(Registry.ModelRegistry.Promotions, StringComparison.Ordinal) == true)
        {
            promotionRecorded();
            return new RecordSummary(key, RecordOutcome.PromotionNoticed);
        }
        var ignored = IgnoreReason(record, key, bucket);
        if (ignored is not null)
        {
            LogIgnored(context.RequestId, record.EventName, key, ignored);
            return new RecordSummary(key, RecordOutcome.Ignored, ignored);
        }
        PredictionsWritten? written;
        try
        {
            written = await predictor.PredictObjectAsync(key!, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            throw new RawObjectPredictionException($"Could not predict the samples of '{key}' (bucket {bucket}): {exception.Message}", exception);
        }
        if (written is null)
        {
            LogMissing(context.RequestId, key!);
            return new RecordSummary(key, RecordOutcome.Missing, "the raw object no longer exists");
        }
        LogPredicted(context.RequestId, key!, written.PredictionsKey, written.Samples, written.Rejected, written.ModelVersion);
        return new RecordSummary(key, RecordOutcome.Predicted, null, written.PredictionsKey, written.Samples, written.Rejected, written.ModelVersion);
    }

    private string? IgnoreReason(S3EventRecord record, string? key, string? bucket)
    {
        if (!record.IsObjectCreated)
        {
            return $"not an object creation ({record.EventSource} {record.EventName})";
        }
        if (key is null)
        {
            return "the record names no object";
        }
        if (lakeBucket is not null && bucket != lakeBucket)
        {
            return $"bucket {bucket} is not the lake's ({lakeBucket})";
        }
        if (!key.StartsWith(LakeLayout.RawSamples, StringComparison.Ordinal))
        {
            return $"not under {LakeLayout.RawSamples}";
        }
        if (!ObjectKeys.IsValid(key))
        {
            // The lake never stores such a key (spaces, say): someone else's upload.
            return "not a lake object key";
        }
        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Invocation {RequestId}: ignored {EventName} of {Key}: {Reason}")]
    private partial void LogIgnored(string requestId, string? eventName, string? key, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invocation {RequestId}: raw object {Key} no longer exists; skipped")]
    private partial void LogMissing(string requestId, string key);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Invocation {RequestId}: predicted {Key} into {PredictionsKey}: {Samples} samples, {Rejected} rejected, model version {ModelVersion}")]
    private partial void LogPredicted(string requestId, string key, string predictionsKey, int samples, int rejected, int modelVersion);
}

/// <summary>Source-generated (NativeAOT): the predict function's response.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PredictSummary))]
public sealed partial class PredictJsonContext : JsonSerializerContext;
