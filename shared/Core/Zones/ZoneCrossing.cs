using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using WineFunctions.Lake;

namespace WineFunctions.Zones;

/// <summary>Which way data crossed: a function read an object from another zone, or wrote into a lake in another zone.</summary>
public enum CrossingDirection
{
    Read,
    Write,
}

/// <summary>One hand-off of a lake object from one trust zone to another, stored as one audit object.</summary>
public sealed record ZoneCrossing(
    string Object,
    string FromZone,
    string ToZone,
    string Classification,
    string Function,
    CrossingDirection Direction,
    DateTimeOffset At)
{
    /// <summary>
    /// <c>audit/date=YYYY-MM-DD/{HHmmssfffffff}-{id}.json</c>: one object per record, so concurrent
    /// appends from any number of functions never conflict, and a day's records list in time order.
    /// </summary>
    public static string Key(DateTimeOffset at, Guid id)
    {
        var utc = at.UtcDateTime;
        return string.Create(CultureInfo.InvariantCulture, $"{LakeLayout.Audit}date={utc:yyyy-MM-dd}/{utc:HHmmssfffffff}-{id:N}.json");
    }

    public static string Day(DateOnly date) => string.Create(CultureInfo.InvariantCulture, $"{LakeLayout.Audit}date={date:yyyy-MM-dd}/");

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, ZoneJsonContext.Default.ZoneCrossing);

    public static ZoneCrossing FromJson(byte[] json) =>
        JsonSerializer.Deserialize(json, ZoneJsonContext.Default.ZoneCrossing) ?? throw new InvalidDataException("empty audit record");
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ZoneCrossing))]
internal sealed partial class ZoneJsonContext : JsonSerializerContext;
