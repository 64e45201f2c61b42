using System.Text.Json.Serialization;

namespace WineFunctions.Samples;

/// <summary>The colour of the wine in the cask: the UCI data and the models treat red and white apart.</summary>
public enum WineColour
{
    [JsonStringEnumMemberName("red")] Red,
    [JsonStringEnumMemberName("white")] White,
}
