using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using WineFunctions.Lake;
using WineFunctions.Prediction;
using WineFunctions.Registry;
using WineFunctions.Models;

namespace WineFunctions.Training;

/// <summary>
/// An upload to the training prefix, start to finish: read and check the file, train and
/// evaluate, register the version, run the promotion gate against the champion, and record the
/// outcome. Called by the train-trigger function, the local stack's watcher and <c>wine train</c>.
/// </summary>
public sealed class TrainingService(IObjectStore lake, TimeProvider time, ILogger<TrainingService> logger, TrainerSettings? settings = null, GateSettings? gate = null)
{
    public const string State = "_state/train/";
    public const string DeadLetters = LakeLayout.DeadLetters + "training/";

    private readonly ModelRegistry _registry = new(lake);

    public static string RecordKey(string upload) => State + upload + ".json";

    public async Task<TrainingRecord?> LastRecordAsync(string upload, CancellationToken cancellationToken) =>
        await lake.GetAsync(RecordKey(upload), cancellationToken) is { } stored ? JsonSerializer.Deserialize(stored.Content, RegistryJson.Default.TrainingRecord) : null;

    /// <summary>
    /// Sends an upload where <paramref name="target"/> says: trained here and now, or, once the file
    /// passes its checks, as a job request in the lake for a training worker (<c>wine train --worker</c>),
    /// which may run in another cloud.
    /// </summary>
    /// <returns>The record, or null when the upload no longer exists.</returns>
    public async Task<TrainingRecord?> DispatchAsync(string key, string by, TrainingTarget target, CancellationToken cancellationToken)
    {
        if (target == TrainingTarget.InProcess)
        {
            return await TrainUploadAsync(key, by, null, cancellationToken);
        }
        var read = await ReadUploadAsync(key, cancellationToken);
        if (read is null || read.Rejected is not null)
        {
            return read?.Rejected;
        }
        var job = new TrainingJob(key, by, time.GetUtcNow());
        await lake.PutAsync(TrainingJobs.JobKey(job), JsonSerializer.SerializeToUtf8Bytes(job, RegistryJson.Default.TrainingJob), Json, cancellationToken);
        logger.LogInformation("Training upload {Upload} passed its checks and waits for a training worker", key);
        return await SaveAsync(new TrainingRecord(key, time.GetUtcNow(), TrainingOutcome.Queued, ["sent to a training worker"], null, null, null, read.Modified), cancellationToken);
    }

    /// <summary>The upload's checks alone: the rejection, recorded with every reason; none when it passes (or no longer exists).</summary>
    public async Task<TrainingRecord?> CheckAsync(string key, CancellationToken cancellationToken) =>
        (await ReadUploadAsync(key, cancellationToken))?.Rejected;

    /// <returns>The record, or null when the upload no longer exists.</returns>
    public async Task<TrainingRecord?> TrainUploadAsync(string key, string by, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var read = await ReadUploadAsync(key, cancellationToken);
        if (read is null || read.Rejected is not null)
        {
            return read?.Rejected;
        }
        var (upload, set, heldOut) = (read.Content, read.Set!, read.HeldOut);
        var clock = Stopwatch.StartNew();
        var trained = await Task.Run(() => ModelTraining.Run(set, heldOut, settings ?? TrainerSettings.Tuned, progress, cancellationToken), cancellationToken);
        var dataSet = new DataSetReference(key, Convert.ToHexStringLower(SHA256.HashData(upload)), set.Rows.Count,
            set.ClassCounts.ToDictionary(c => c.Key.ToString().ToLowerInvariant(), c => c.Value), heldOut?.Source);
        var card = await _registry.RegisterAsync(new ModelFiles(trained.Model, trained.Onnx), trained.Decision, trained.Settings, trained.Evaluation, dataSet,
            PopulationStability.Reference(set.Rows.Select(r => (r.Colour, r.Values))), time.GetUtcNow(), cancellationToken);
        logger.LogInformation("Trained model version {Version} from {Upload} in {Seconds:0.0} s: held-out macro accuracy {Macro:0.000}",
            card.Version, key, clock.Elapsed.TotalSeconds, card.Metrics.MacroAccuracy);

        // Judged against the champion of record; if another promotion lands before this one is recorded, judged again against that.
        while (true)
        {
            var champion = await _registry.ChampionOfRecordAsync(cancellationToken);
            if (champion == card.Version)
            {
                // Made champion by hand while it was judged: nothing left to decide.
                return await SaveAsync(new TrainingRecord(key, time.GetUtcNow(), TrainingOutcome.Promoted, ["made champion while it was judged"],
                    card.Version, card.Metrics, champion, read.Modified), cancellationToken);
            }
            HeldOutDecisions? onSameRows = null;
            if (champion is { } version && await _registry.GetCardAsync(version, cancellationToken) is { } championCard)
            {
                progress?.Report($"scoring champion v{version} on the same held-out rows");
                var classifier = new SampleClassifier(await _registry.ReadArtifactAsync(championCard.OnnxKey, cancellationToken), version, championCard.Decision);
                onSameRows = new([.. trained.HeldOutRows.Select(r => r.Class)], trained.HeldOutDecided,
                    [.. classifier.PredictRows(trained.HeldOutRows).Select(p => (int)classifier.Classify(p))]);
            }
            var decision = PromotionGate.Decide(trained.Evaluation, onSameRows, champion, gate);
            if (await _registry.RecordDecisionAsync(decision.Promote ? PromotionOutcome.Promoted : PromotionOutcome.Refused,
                    card.Version, champion, by, decision.Reason, time.GetUtcNow(), cancellationToken) is not { } promotion)
            {
                logger.LogInformation("The champion changed while model version {Version} was judged against v{Champion}; judging it again", card.Version, champion);
                continue;
            }
            logger.LogInformation("Model version {Version} {Outcome}: {Reason}", card.Version, promotion.Outcome, decision.Reason);
            return await SaveAsync(new TrainingRecord(key, time.GetUtcNow(),
                decision.Promote ? TrainingOutcome.Promoted : TrainingOutcome.Refused, [decision.Reason], card.Version, card.Metrics, promotion.Champion, read.Modified), cancellationToken);
        }
    }

    private sealed record UploadRead(byte[] Content, DateTimeOffset? Modified, TrainingSet? Set, TrainingSet? HeldOut, TrainingRecord? Rejected);

    /// <summary>The upload and its held-out sibling, checked; a refused upload is recorded here, with every reason.</summary>
    private async Task<UploadRead?> ReadUploadAsync(string key, CancellationToken cancellationToken)
    {
        // Before the read: a file written in between makes the record older than what was trained, so it trains again rather than never.
        var modified = await LastModifiedAsync(key, cancellationToken);
        var upload = await lake.GetAsync(key, cancellationToken);
        if (upload is null)
        {
            logger.LogWarning("Training upload {Upload} no longer exists; nothing to train", key);
            return null;
        }
        var read = await TrainingFile.ReadAsync(key, upload.Content, cancellationToken);
        var reasons = read.Rejection?.Reasons.ToList() ?? [];
        TrainingSet? heldOut = null;
        if (TrainingFile.HeldOutSiblingOf(key) is { } testKey && await lake.GetAsync(testKey, cancellationToken) is { } test)
        {
            var testRead = await TrainingFile.ReadAsync(testKey, test.Content, cancellationToken, minimumRowsPerClass: 1);
            heldOut = testRead.Set;
            reasons.AddRange(testRead.Rejection?.Reasons ?? []);
        }
        if (reasons.Count == 0 && read.Set is not null)
        {
            return new(upload.Content, modified, read.Set, heldOut, null);
        }
        var rejected = new TrainingRecord(key, time.GetUtcNow(), TrainingOutcome.Rejected, reasons, null, null, null, modified);
        logger.LogWarning("Training upload {Upload} rejected: {Reasons}", key, string.Join("; ", reasons));
        await lake.PutAsync(DeadLetters + key + ".json", JsonSerializer.SerializeToUtf8Bytes(rejected, RegistryJson.Default.TrainingRecord), Json, cancellationToken);
        return new(upload.Content, modified, null, null, await SaveAsync(rejected, cancellationToken));
    }

    private async Task<DateTimeOffset?> LastModifiedAsync(string key, CancellationToken cancellationToken)
    {
        await foreach (var entry in lake.ListAsync(key, cancellationToken))
        {
            return entry.Key == key ? entry.LastModified : null; // in key order: the key itself comes first
        }
        return null;
    }

    private async Task<TrainingRecord> SaveAsync(TrainingRecord record, CancellationToken cancellationToken)
    {
        await lake.PutAsync(RecordKey(record.Upload), JsonSerializer.SerializeToUtf8Bytes(record, RegistryJson.Default.TrainingRecord), Json, cancellationToken);
        return record;
    }

    private static readonly IReadOnlyDictionary<string, string> Json = new Dictionary<string, string> { [ObjectMetadata.Format] = "json" };
}
