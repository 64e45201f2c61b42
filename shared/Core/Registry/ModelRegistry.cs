using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using WineFunctions.Lake;
using WineFunctions.Models;

namespace WineFunctions.Registry;

/// <summary>
/// The model registry, in any object store (docs/training.md):
/// <c>models/artifacts/{sha256}.zip|.onnx</c> content-addressed model files,
/// <c>models/versions/{NNNNNN}/card.json</c> one immutable card per version (created only if
/// absent, after the files, so a crash leaves no version without its card or files),
/// <c>models/promotions/{NNNNNN}.json</c> the append-only promotion history, and
/// <c>models/champion.json</c> the alias, written after its promotion event.
/// </summary>
public sealed class ModelRegistry(IObjectStore store)
{
    public const string Versions = LakeLayout.Models + "versions/";
    public const string Promotions = LakeLayout.Models + "promotions/";
    public const string Artifacts = LakeLayout.Models + "artifacts/";
    public const string Champion = LakeLayout.Models + "champion.json";

    public static string CardKey(int version) => string.Create(CultureInfo.InvariantCulture, $"{Versions}{version:D6}/card.json");

    /// <summary>Stores the model files, then claims the next version number with its card.</summary>
    public async Task<ModelCard> RegisterAsync(ModelFiles files, DecisionRule? decision, TrainerSettings settings, ModelEvaluation evaluation, DataSetReference dataSet,
        IReadOnlyList<MeasurementBins>? reference, DateTimeOffset trainedAt, CancellationToken cancellationToken)
    {
        var modelKey = await PutArtifactAsync(files.Model, ".zip", cancellationToken);
        var onnxKey = await PutArtifactAsync(files.Onnx, ".onnx", cancellationToken);
        while (true)
        {
            var version = (await LatestVersionAsync(cancellationToken) ?? 0) + 1;
            var card = new ModelCard(version, trainedAt, dataSet, settings, CodeVersion, evaluation.Headline, evaluation, modelKey, onnxKey, decision, reference);
            if (await store.CreateAsync(CardKey(version), JsonSerializer.SerializeToUtf8Bytes(card, RegistryJson.Default.ModelCard), Json, cancellationToken))
            {
                return card;
            }
        }
    }

    public async Task<IReadOnlyList<ModelCard>> ListAsync(CancellationToken cancellationToken)
    {
        var cards = new List<ModelCard>();
        await foreach (var entry in store.ListAsync(Versions, cancellationToken))
        {
            if (entry.Key.EndsWith("/card.json", StringComparison.Ordinal) && await ReadAsync(entry.Key, RegistryJson.Default.ModelCard, cancellationToken) is { } card)
            {
                cards.Add(card);
            }
        }
        return cards;
    }

    public Task<ModelCard?> GetCardAsync(int version, CancellationToken cancellationToken) =>
        ReadAsync(CardKey(version), RegistryJson.Default.ModelCard, cancellationToken);

    public Task<ChampionAlias?> GetChampionAsync(CancellationToken cancellationToken) =>
        ReadAsync(Champion, RegistryJson.Default.ChampionAlias, cancellationToken);

    public async Task<byte[]> ReadArtifactAsync(string key, CancellationToken cancellationToken) =>
        (await store.GetAsync(key, cancellationToken))?.Content ?? throw new InvalidOperationException($"model file {key} is missing from {store.Location}");

    public async Task<IReadOnlyList<PromotionEvent>> HistoryAsync(CancellationToken cancellationToken)
    {
        var events = new List<PromotionEvent>();
        await foreach (var entry in store.ListAsync(Promotions, cancellationToken))
        {
            if (await ReadAsync(entry.Key, RegistryJson.Default.PromotionEvent, cancellationToken) is { } promotion)
            {
                events.Add(promotion);
            }
        }
        return events;
    }

    /// <summary>
    /// Appends a promotion event and, unless it is a refusal, moves the champion alias to it. The
    /// event comes first: an alias never points at a promotion the history lacks.
    /// </summary>
    public async Task<PromotionEvent> RecordAsync(PromotionOutcome outcome, int candidate, string by, string reason, DateTimeOffset at, CancellationToken cancellationToken) =>
        (await RecordAsync(outcome, candidate, null, by, reason, at, cancellationToken))!;

    /// <summary>
    /// Records a gate's decision, made against <paramref name="judgedAgainst"/> (null: no champion), only
    /// while that is still the champion; null when another promotion came first, to judge again.
    /// </summary>
    public Task<PromotionEvent?> RecordDecisionAsync(PromotionOutcome outcome, int candidate, int? judgedAgainst, string by, string reason, DateTimeOffset at,
        CancellationToken cancellationToken) =>
        RecordAsync(outcome, candidate, before => before == judgedAgainst, by, reason, at, cancellationToken);

    /// <summary>The champion the newest promotion event left (the alias when there is none), which the alias follows.</summary>
    public async Task<int?> ChampionOfRecordAsync(CancellationToken cancellationToken) =>
        await ChampionAfterAsync(await LatestAsync(Promotions, ".json", cancellationToken) ?? 0, cancellationToken);

    private async Task<PromotionEvent?> RecordAsync(PromotionOutcome outcome, int candidate, Func<int?, bool>? stillChampion, string by, string reason, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        var card = await GetCardAsync(candidate, cancellationToken) ?? throw new ArgumentException($"there is no model version {candidate}", nameof(candidate));
        while (true)
        {
            var sequence = (await LatestAsync(Promotions, ".json", cancellationToken) ?? 0) + 1;
            // The champion this event replaces is the one the last event left, not the alias: a promotion
            // recorded at the same time may not have moved the alias yet.
            var championBefore = await ChampionAfterAsync(sequence - 1, cancellationToken);
            if (stillChampion is not null && !stillChampion(championBefore))
            {
                return null;
            }
            var previous = championBefore is { } version ? await GetCardAsync(version, cancellationToken) : null;
            var promotion = new PromotionEvent(sequence, outcome, candidate, championBefore,
                outcome == PromotionOutcome.Refused ? championBefore : candidate, by, reason, at, card.Metrics, previous?.Metrics);
            if (!await store.CreateAsync(PromotionKey(sequence), JsonSerializer.SerializeToUtf8Bytes(promotion, RegistryJson.Default.PromotionEvent), Json, cancellationToken))
            {
                continue;
            }
            if (outcome != PromotionOutcome.Refused)
            {
                await MoveAliasAsync(promotion, cancellationToken);
            }
            return promotion;
        }
    }

    /// <summary>
    /// Two promotions at once each write the alias after their own event, so the earlier one's write
    /// may land last: after each write the alias is checked against the newest promotion, and written
    /// again until it names it.
    /// </summary>
    private async Task MoveAliasAsync(PromotionEvent promotion, CancellationToken cancellationToken)
    {
        while (true)
        {
            await store.PutAsync(Champion, JsonSerializer.SerializeToUtf8Bytes(new ChampionAlias(promotion.Champion ?? promotion.Candidate, promotion.Sequence, promotion.At),
                RegistryJson.Default.ChampionAlias), Json, cancellationToken);
            if (await NewestPromotionAsync(cancellationToken) is not { } newest || newest.Sequence == promotion.Sequence)
            {
                return;
            }
            promotion = newest;
        }
    }

    /// <summary>The newest event that moved the alias (a refusal leaves it where it was).</summary>
    private async Task<PromotionEvent?> NewestPromotionAsync(CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        await foreach (var entry in store.ListAsync(Promotions, cancellationToken))
        {
            keys.Add(entry.Key);
        }
        foreach (var key in Enumerable.Reverse(keys))
        {
            if (await EventOrNullAsync(key, cancellationToken) is { Outcome: not PromotionOutcome.Refused } promotion)
            {
                return promotion;
            }
        }
        return null;
    }

    private async Task<int?> ChampionAfterAsync(int sequence, CancellationToken cancellationToken) =>
        sequence > 0 && await EventOrNullAsync(PromotionKey(sequence), cancellationToken) is { } last
            ? last.Champion
            : (await GetChampionAsync(cancellationToken))?.Version;

    /// <summary>An event file that cannot be read (edited by hand, say) counts as missing here, so it does not stop every promotion after it.</summary>
    private async Task<PromotionEvent?> EventOrNullAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadAsync(key, RegistryJson.Default.PromotionEvent, cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string PromotionKey(int sequence) => string.Create(CultureInfo.InvariantCulture, $"{Promotions}{sequence:D6}.json");

    /// <summary>Makes <paramref name="version"/> (default: the champion before the current one) the champion again.</summary>
    public async Task<PromotionEvent> RollbackAsync(int? version, string by, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var champion = await GetChampionAsync(cancellationToken) ?? throw new InvalidOperationException("there is no champion to roll back");
        var target = version ?? (await HistoryAsync(cancellationToken))
            .Where(p => p.Outcome != PromotionOutcome.Refused && p.Sequence == champion.Promotion).Select(p => p.PreviousChampion).FirstOrDefault()
            ?? throw new InvalidOperationException($"version {champion.Version} has no earlier champion to roll back to");
        return await RecordAsync(PromotionOutcome.RolledBack, target, by, reason, at, cancellationToken);
    }

    public async Task<int?> LatestVersionAsync(CancellationToken cancellationToken) => await LatestAsync(Versions, "/card.json", cancellationToken);

    private async Task<int?> LatestAsync(string prefix, string suffix, CancellationToken cancellationToken)
    {
        int? latest = null;
        await foreach (var entry in store.ListAsync(prefix, cancellationToken))
        {
            if (entry.Key.EndsWith(suffix, StringComparison.Ordinal)
                && int.TryParse(entry.Key.AsSpan(prefix.Length, 6), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                latest = Math.Max(latest ?? 0, number);
            }
        }
        return latest;
    }

    private async Task<string> PutArtifactAsync(byte[] content, string extension, CancellationToken cancellationToken)
    {
        var key = $"{Artifacts}{Convert.ToHexStringLower(SHA256.HashData(content))}{extension}";
        await store.CreateAsync(key, content, new Dictionary<string, string>(), cancellationToken);
        return key;
    }

    private async Task<T?> ReadAsync<T>(string key, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken) where T : class =>
        await store.GetAsync(key, cancellationToken) is { } stored ? JsonSerializer.Deserialize(stored.Content, type) : null;

    private static readonly IReadOnlyDictionary<string, string> Json = new Dictionary<string, string> { [ObjectMetadata.Format] = "json" };

    /// <summary>The informational version of the code that trained, for the card.</summary>
    public static string CodeVersion { get; } =
        typeof(ModelRegistry).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "unknown";
}
