using System.Text.Json;
using System.Text.Json.Serialization;
using WineFunctions.Ingest;

namespace WineFunctions.Ingest.Host;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(BridgeStatus))]
internal sealed partial class BridgeHostJson : JsonSerializerContext;
