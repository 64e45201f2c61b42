using System.Text.Json;
using System.Text.Json.Serialization;
using WineFunctions.Models;

namespace WineFunctions.Registry;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ModelCard))]
[JsonSerializable(typeof(PromotionEvent))]
[JsonSerializable(typeof(ChampionAlias))]
[JsonSerializable(typeof(TrainingRecord))]
[JsonSerializable(typeof(TrainingJob))]
[JsonSerializable(typeof(TrainingJobDeadLetter))]
public sealed partial class RegistryJson : JsonSerializerContext;
