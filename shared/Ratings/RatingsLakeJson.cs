using System.Text.Json;
using System.Text.Json.Serialization;
using WineFunctions.Lake;

namespace WineFunctions.Ratings;

/// <summary>
/// Ratings in the lake: one JSON object per revision of a rating or score (see <see cref="OpinionKind{T}"/>),
/// written by the ratings API only.
/// </summary>
public static class RatingsLake
{
    public static readonly IReadOnlyDictionary<string, string> Metadata = new Dictionary<string, string> { [ObjectMetadata.Source] = "ratings-api" };
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(Rating))]
[JsonSerializable(typeof(TasterScore))]
internal sealed partial class RatingsLakeJsonContext : JsonSerializerContext;
