using System.Text.Json.Serialization;

namespace WineFunctions.Samples;

/// <summary>The three classes the wine maker prices by, cut from the 0-10 sensory score.</summary>
public enum QualityClass
{
    [JsonStringEnumMemberName("good")] Good,
    [JsonStringEnumMemberName("better")] Better,
    [JsonStringEnumMemberName("best")] Best,
}

public static class QualityClasses
{
    public static readonly IReadOnlyList<QualityClass> All = [QualityClass.Good, QualityClass.Better, QualityClass.Best];

    /// <summary>&lt;= 5 good, 6 better, &gt;= 7 best.</summary>
    public static QualityClass FromScore(double score) => score switch
    {
        <= 5 => QualityClass.Good,
        < 7 => QualityClass.Better,
        _ => QualityClass.Best,
    };

    /// <summary>The class a name (<c>good</c>, <c>better</c>, <c>best</c>) stands for; null for any other text.</summary>
    public static QualityClass? FromName(string? name) => name switch
    {
        "good" => QualityClass.Good,
        "better" => QualityClass.Better,
        "best" => QualityClass.Best,
        _ => null,
    };

    public static string Name(this QualityClass quality) => quality switch
    {
        QualityClass.Good => "good",
        QualityClass.Better => "better",
        _ => "best",
    };
}
