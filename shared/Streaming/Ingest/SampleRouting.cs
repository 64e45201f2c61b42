using System.Text;
using System.Text.Json;
using WineFunctions.Mqtt;
using WineFunctions.Samples;

namespace WineFunctions.Ingest;

/// <summary>Kafka header names the bridge writes.</summary>
public static class BridgeHeaders
{
    public const string Warehouse = "warehouse";
    public const string Schema = "schema";
    public const string MqttTopic = "mqtt-topic";
    public const string Reasons = Sink.BridgeDeadLetterArchive.ReasonsHeader; // the sink reads them from there
    public const string OriginalSize = "dlq-original-size";
    public const string ReceivedAt = "received-at";
}

/// <summary>
/// Decides where one MQTT message goes: a valid sample from its own warehouse to the samples
/// topic (key = batchId, value = the sample re-written in the v1 contract), anything else to
/// the dead-letter topic with every reason, the original bytes and the MQTT topic. With the edge
/// option, a sample record also carries the champion's prediction in headers; the value is unchanged.
/// </summary>
public sealed class SampleRouting(string samplesTopic, string deadLetterTopic, SampleValidationOptions validation, EdgePredictor? edge = null)
{
    /// <summary>Dead letters keep at most this much of the original payload, so Kafka's message size limit holds.</summary>
    public const int MaxDeadLetterBytes = 64 * 1024;

    public BufferedRecord Route(string mqttTopic, ReadOnlySpan<byte> payload, DateTimeOffset now)
    {
        var result = SampleValidator.Validate(payload, now, validation);
        var topicWarehouse = WarehouseTopics.WarehouseOf(mqttTopic);
        var reasons = result.Rejections.ToList();
        if (result.Sample is { } sample && sample.WarehouseId != topicWarehouse)
        {
            reasons.Add(new SampleRejection(SampleFields.WarehouseId, RejectionCode.ForeignWarehouse,
                $"sample of warehouse '{sample.WarehouseId}' arrived on {mqttTopic}: a device may only speak for its own warehouse"));
        }

        if (reasons.Count == 0)
        {
            var valid = result.Sample!;
            return new BufferedRecord(samplesTopic, valid.BatchId, SampleJson.Serialize(valid),
            [
                new(BridgeHeaders.Warehouse, Encoding.UTF8.GetBytes(valid.WarehouseId)),
                new(BridgeHeaders.Schema, Encoding.UTF8.GetBytes(valid.Schema.ToString(System.Globalization.CultureInfo.InvariantCulture))),
                new(BridgeHeaders.MqttTopic, Encoding.UTF8.GetBytes(mqttTopic)),
                .. edge?.HeadersFor(valid) ?? [],
            ]);
        }

        var kept = payload.Length <= MaxDeadLetterBytes ? payload : payload[..MaxDeadLetterBytes];
        return new BufferedRecord(deadLetterTopic, topicWarehouse, kept.ToArray(),
        [
            new(BridgeHeaders.Reasons, JsonSerializer.SerializeToUtf8Bytes(reasons, BridgeJsonContext.Default.ListSampleRejection)),
            new(BridgeHeaders.MqttTopic, Encoding.UTF8.GetBytes(mqttTopic)),
            new(BridgeHeaders.OriginalSize, Encoding.UTF8.GetBytes(payload.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            new(BridgeHeaders.ReceivedAt, Encoding.UTF8.GetBytes(now.UtcDateTime.ToString("O"))),
        ]);
    }
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[System.Text.Json.Serialization.JsonSerializable(typeof(List<SampleRejection>))]
internal sealed partial class BridgeJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
