using System.Text.Json;
using System.Text.Json.Serialization;

namespace WineFunctions.Samples;

/// <summary>Source-generated JSON for the sample contract (camelCase, colours and classes as words).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(WineSample))]
public sealed partial class SampleJsonContext : JsonSerializerContext;

public static class SampleJson
{
    public static byte[] Serialize(WineSample sample) =>
        JsonSerializer.SerializeToUtf8Bytes(sample, SampleJsonContext.Default.WineSample);
}
