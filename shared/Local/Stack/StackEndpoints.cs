using System.Text.Json;
using System.Text.Json.Serialization;
using WineFunctions.Hosting;
using WineFunctions.Mqtt;

namespace WineFunctions.Stack;

/// <summary>
/// Where the running local stack listens, written as JSON once everything is up so outside
/// processes can join (the Kafka mock's ports are random). The accounts are development logins.
/// </summary>
public sealed record StackEndpoints(
    string MqttHost,
    int MqttPort,
    string KafkaBootstrapServers,
    string SamplesTopic,
    string DeadLetterTopic,
    string Lake,
    IReadOnlyList<MqttAccount> MqttAccounts,
    StackRatingsApi? RatingsApi = null)
{
    public async Task WriteAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        // Every MQTT password and development token is in it: owner only.
        await PrivateFile.WriteAllBytesAsync(temporary, JsonSerializer.SerializeToUtf8Bytes(this, StackJsonContext.Default.StackEndpoints), cancellationToken);
        File.Move(temporary, path, overwrite: true); // readers never see half a file
    }

    public static async Task<StackEndpoints> ReadAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync(stream, StackJsonContext.Default.StackEndpoints, cancellationToken)
               ?? throw new InvalidDataException($"{path} holds no endpoints");
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(StackEndpoints))]
internal sealed partial class StackJsonContext : JsonSerializerContext;
