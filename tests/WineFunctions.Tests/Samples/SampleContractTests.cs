using System.Text;
using WineFunctions.Samples;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Samples;

[Trait(Categories.Name, Categories.Unit)]
public sealed class SampleContractTests
{
    internal static readonly DateTimeOffset Now = new(2026, 11, 26, 18, 0, 0, TimeSpan.Zero);

    internal static WineSample Valid() => WineSample.Create("s-0001", "batch-42", "wh-01", "dev-01-a",
        Now.AddMinutes(-3), WineColour.Red, [7.4, 0.7, 0, 1.9, 0.076, 11, 34, 0.9978, 3.51, 0.56, 9.4]);

    internal static string ValidJson() => Encoding.UTF8.GetString(SampleJson.Serialize(Valid()));

    private static SampleValidation Validate(string json) => SampleValidator.Validate(Encoding.UTF8.GetBytes(json), Now);

    [Fact]
    public void A_sample_round_trips_through_the_contract()
    {
        var sample = Valid() with { SimulatedClass = QualityClass.Better };
        var result = SampleValidator.Validate(SampleJson.Serialize(sample), Now);
        Assert.True(result.IsValid, string.Join("; ", result.Rejections));
        Assert.Equal(sample, result.Sample);
        Assert.Equal(sample.Measurements(), result.Sample!.Measurements());
    }

    [Fact]
    public void The_wire_form_uses_the_documented_field_names()
    {
        var json = ValidJson();
        foreach (var field in new[] { "\"schema\":1", "\"sampleId\":\"s-0001\"", "\"batchId\"", "\"warehouseId\"", "\"deviceId\"",
                     "\"takenAt\":\"2026-11-26T17:57:00Z\"", "\"wine\":\"red\"", "\"fixedAcidity\":7.4", "\"volatileAcidity\"", "\"citricAcid\"",
                     "\"residualSugar\"", "\"chlorides\"", "\"freeSulfurDioxide\"", "\"totalSulfurDioxide\"", "\"density\"", "\"pH\":3.51",
                     "\"sulphates\"", "\"alcohol\"" })
        {
            Assert.Contains(field, json);
        }
        Assert.DoesNotContain("simulatedClass", json);
    }

    [Fact]
    public void Unknown_extra_fields_are_tolerated()
    {
        var json = ValidJson().TrimEnd('}') + ",\"firmware\":\"2.1\",\"extra\":{\"nested\":[1,2,3]}}";
        Assert.True(Validate(json).IsValid);
    }

    [Fact]
    public void A_later_schema_version_with_added_fields_is_accepted()
    {
        var json = ValidJson().Replace("\"schema\":1", "\"schema\":2").TrimEnd('}') + ",\"temperature\":14.5}";
        var result = Validate(json);
        Assert.True(result.IsValid);
        Assert.Equal(2, result.Sample!.Schema);
    }

    [Fact]
    public void Every_reason_is_reported_at_once()
    {
        var json = ValidJson()
            .Replace("\"sampleId\":\"s-0001\",", "")
            .Replace("\"batchId\":\"batch-42\"", "\"batchId\":\"bad id/with slash\"")
            .Replace("\"fixedAcidity\":7.4", "\"fixedAcidity\":\"7.4\"")
            .Replace("\"pH\":3.51", "\"pH\":14")
            .Replace("\"alcohol\":9.4", "\"alcohol\":\"NaN\"")
            .Replace("2026-11-26T17:57:00Z", "2027-01-01T00:00:00Z");
        var codes = Validate(json).Rejections.Select(r => (r.Field, r.Code)).ToHashSet();
        Assert.Equal(
            new HashSet<(string, RejectionCode)>
            {
                ("sampleId", RejectionCode.MissingField),
                ("batchId", RejectionCode.BadId),
                ("fixedAcidity", RejectionCode.WrongType),
                ("pH", RejectionCode.OutOfBounds),
                ("alcohol", RejectionCode.NotFinite),
                ("takenAt", RejectionCode.TimestampInFuture),
            },
            codes);
    }

    public static TheoryData<string, string, string, RejectionCode> Rejections => new()
    {
        { "missing field", "\"deviceId\":\"dev-01-a\",", "", RejectionCode.MissingField },
        { "wrong type", "\"residualSugar\":1.9", "\"residualSugar\":true", RejectionCode.WrongType },
        { "schema as string", "\"schema\":1", "\"schema\":\"1\"", RejectionCode.WrongType },
        { "schema zero", "\"schema\":1", "\"schema\":0", RejectionCode.UnsupportedSchema },
        { "schema fraction", "\"schema\":1", "\"schema\":1.5", RejectionCode.WrongType },
        { "infinite by overflow", "\"chlorides\":0.076", "\"chlorides\":1e999", RejectionCode.NotFinite },
        { "infinity literal", "\"density\":0.9978", "\"density\":\"Infinity\"", RejectionCode.NotFinite },
        { "negative", "\"citricAcid\":0", "\"citricAcid\":-0.1", RejectionCode.OutOfBounds },
        { "too strong", "\"alcohol\":9.4", "\"alcohol\":40", RejectionCode.OutOfBounds },
        { "impossible density", "\"density\":0.9978", "\"density\":1.9978", RejectionCode.OutOfBounds },
        { "free above total", "\"freeSulfurDioxide\":11", "\"freeSulfurDioxide\":50", RejectionCode.Inconsistent },
        { "empty id", "\"warehouseId\":\"wh-01\"", "\"warehouseId\":\"\"", RejectionCode.BadId },
        { "MQTT wildcard in id", "\"warehouseId\":\"wh-01\"", "\"warehouseId\":\"wh/+\"", RejectionCode.BadId },
        { "id too long", "\"sampleId\":\"s-0001\"", $"\"sampleId\":\"{new string('a', 65)}\"", RejectionCode.BadId },
        { "id as number", "\"batchId\":\"batch-42\"", "\"batchId\":42", RejectionCode.WrongType },
        { "unknown wine", "\"wine\":\"red\"", "\"wine\":\"rosé\"", RejectionCode.UnknownWine },
        { "colour in capitals", "\"wine\":\"red\"", "\"wine\":\"RED\"", RejectionCode.UnknownWine },
        { "future", "2026-11-26T17:57:00Z", "2026-11-26T18:06:00Z", RejectionCode.TimestampInFuture },
        { "clock reset", "2026-11-26T17:57:00Z", "1970-01-01T00:00:00Z", RejectionCode.TimestampTooOld },
        { "local time", "2026-11-26T17:57:00Z", "2026-11-26T17:57:00+01:00", RejectionCode.TimestampNotUtc },
        { "no zone", "2026-11-26T17:57:00Z", "2026-11-26T17:57:00", RejectionCode.TimestampNotUtc },
        { "not a date", "2026-11-26T17:57:00Z", "yesterday", RejectionCode.WrongType },
        { "duplicate field", "\"alcohol\":9.4", "\"alcohol\":9.4,\"alcohol\":12", RejectionCode.DuplicateField },
        { "bad simulated class", "\"alcohol\":9.4", "\"alcohol\":9.4,\"simulatedClass\":\"superb\"", RejectionCode.WrongType },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public void Each_rejection_reason_is_named(string why, string find, string replace, RejectionCode expected)
    {
        var json = ValidJson();
        Assert.Contains(find, json);
        var result = Validate(json.Replace(find, replace));
        Assert.False(result.IsValid, why);
        Assert.Null(result.Sample);
        Assert.Contains(result.Rejections, r => r.Code == expected);
    }

    public static TheoryData<string, byte[], RejectionCode> HostilePayloads => new()
    {
        { "empty", [], RejectionCode.MalformedJson },
        { "truncated", Encoding.UTF8.GetBytes(ValidJson()[..40]), RejectionCode.MalformedJson },
        { "10 MB", Encoding.UTF8.GetBytes(ValidJson() + new string(' ', 10 * 1024 * 1024)), RejectionCode.PayloadTooLarge },
        { "deep nesting", Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000)), RejectionCode.MalformedJson },
        { "deep nesting in an unknown field", Encoding.UTF8.GetBytes(ValidJson().TrimEnd('}') + ",\"x\":" + new string('[', 100) + new string(']', 100) + "}"), RejectionCode.MalformedJson },
        { "UTF-16", Encoding.Unicode.GetBytes(ValidJson()), RejectionCode.MalformedJson },
        { "Latin-1 in a string", [.. Encoding.UTF8.GetBytes("{\"sampleId\":\"caf"), 0xE9, .. Encoding.UTF8.GetBytes("\"}")], RejectionCode.MalformedJson },
        { "array", Encoding.UTF8.GetBytes("[1,2,3]"), RejectionCode.NotAnObject },
        { "number", Encoding.UTF8.GetBytes("42"), RejectionCode.NotAnObject },
        { "two objects", Encoding.UTF8.GetBytes(ValidJson() + ValidJson()), RejectionCode.MalformedJson },
        { "comment", Encoding.UTF8.GetBytes("/* hi */" + ValidJson()), RejectionCode.MalformedJson },
    };

    [Theory]
    [MemberData(nameof(HostilePayloads), DisableDiscoveryEnumeration = true)]
    public void Hostile_bytes_are_refused_with_a_reason(string why, byte[] payload, RejectionCode expected)
    {
        var result = SampleValidator.Validate(payload, Now);
        Assert.False(result.IsValid, why);
        Assert.Equal(expected, Assert.Single(result.Rejections).Code);
    }
}
