using System.Text.Json.Serialization;

namespace WineFunctions.Samples;

/// <summary>The colour of the wine in the cask: the UCI data and the models treat red and white apart.</summary>
public enum WineColour
{
    [JsonStringEnumMemberName("red")] Red,
    [JsonStringEnumMemberName("white")] White,
}

public static class WineColours
{
    /// <summary>The colour as the contract, the lake and the API spell it: red or white.</summary>
    public static string Name(this WineColour colour) => colour == WineColour.Red ? "red" : "white";
}
