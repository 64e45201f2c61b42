using System.Text.Json;
using System.Text.Json.Serialization;
using WineFunctions.Lake;

namespace WineFunctions.Ratings;

/// <summary>
/// Ratings in the lake: one JSON object per accepted rating or score, under the keys
/// <see cref="LakeLayout.CustomerRating"/> and <see cref="LakeLayout.TasterScore"/> name.
/// </summary>
public static class RatingsLake
{
    public static string KeyOf(Rating rating) => LakeLayout.CustomerRating(rating.RatedAt, rating.RatingId);

    public static string KeyOf(TasterScore score) => LakeLayout.TasterScore(score.ScoredAt, score.ScoreId);

    public static byte[] Serialize(Rating rating) => JsonSerializer.SerializeToUtf8Bytes(rating, RatingsLakeJsonContext.Default.Rating);

    public static byte[] Serialize(TasterScore score) => JsonSerializer.SerializeToUtf8Bytes(score, RatingsLakeJsonContext.Default.TasterScore);

    public static Rating? ReadRating(byte[] content) => JsonSerializer.Deserialize(content, RatingsLakeJsonContext.Default.Rating);

    public static TasterScore? ReadScore(byte[] content) => JsonSerializer.Deserialize(content, RatingsLakeJsonContext.Default.TasterScore);

    public static readonly IReadOnlyDictionary<string, string> Metadata = new Dictionary<string, string> { [ObjectMetadata.Source] = "ratings-api" };
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(Rating))]
[JsonSerializable(typeof(TasterScore))]
internal sealed partial class RatingsLakeJsonContext : JsonSerializerContext;
