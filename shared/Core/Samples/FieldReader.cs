using System.Text.Json;

namespace WineFunctions.Samples;

/// <summary>Reads typed contract fields from a parsed payload, recording a rejection instead of throwing.</summary>
internal sealed class FieldReader(IReadOnlyDictionary<string, JsonElement> fields, List<SampleRejection> rejections)
{
    public int? Integer(string field)
    {
        if (!TryGet(field, JsonValueKind.Number, "an integer", out var element))
        {
            return null;
        }
        if (element.TryGetInt32(out var value))
        {
            return value;
        }
        return Reject<int>(field, RejectionCode.WrongType, $"expected an integer, found {element.GetRawText()}");
    }

    public string? Id(string field)
    {
        if (!TryGet(field, JsonValueKind.String, "a string", out var element))
        {
            return null;
        }
        var value = element.GetString()!;
        if (SampleValidator.IsValidId(value))
        {
            return value;
        }
        rejections.Add(SampleValidator.BadId(field));
        return null;
    }

    public DateTimeOffset? Timestamp(string field)
    {
        if (!TryGet(field, JsonValueKind.String, "an ISO-8601 UTC timestamp", out var element))
        {
            return null;
        }
        var text = element.GetString()!;
        if (!element.TryGetDateTimeOffset(out var value))
        {
            return Reject<DateTimeOffset>(field, RejectionCode.WrongType, $"'{Shorten(text)}' is not an ISO-8601 timestamp");
        }
        if (value.Offset != TimeSpan.Zero || !(text.EndsWith('Z') || text.EndsWith("+00:00", StringComparison.Ordinal)))
        {
            return Reject<DateTimeOffset>(field, RejectionCode.TimestampNotUtc, $"'{Shorten(text)}' must be in UTC (end in Z)");
        }
        return value;
    }

    public WineColour? Colour(string field)
    {
        if (!TryGet(field, JsonValueKind.String, "\"red\" or \"white\"", out var element))
        {
            return null;
        }
        return element.GetString() switch
        {
            "red" => WineColour.Red,
            "white" => WineColour.White,
            var other => Reject<WineColour>(field, RejectionCode.UnknownWine, $"'{Shorten(other!)}' is not \"red\" or \"white\""),
        };
    }

    public double? Number(string field)
    {
        if (!fields.TryGetValue(field, out var element))
        {
            return Reject<double>(field, RejectionCode.MissingField, "is missing");
        }
        if (element.ValueKind == JsonValueKind.String && element.GetString() is "NaN" or "Infinity" or "-Infinity")
        {
            return Reject<double>(field, RejectionCode.NotFinite, "must be a finite number");
        }
        if (element.ValueKind != JsonValueKind.Number)
        {
            return Reject<double>(field, RejectionCode.WrongType, $"expected a number, found {Describe(element)}");
        }
        // TryGetDouble refuses numbers that overflow to infinity.
        return element.TryGetDouble(out var value) ? value : Reject<double>(field, RejectionCode.NotFinite, "must be a finite number");
    }

    public QualityClass? OptionalClass(string field)
    {
        if (!fields.TryGetValue(field, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return element.ValueKind == JsonValueKind.String ? element.GetString() switch
        {
            "good" => QualityClass.Good,
            "better" => QualityClass.Better,
            "best" => QualityClass.Best,
            _ => Reject<QualityClass>(field, RejectionCode.WrongType, "expected \"good\", \"better\" or \"best\""),
        } : Reject<QualityClass>(field, RejectionCode.WrongType, $"expected a string, found {Describe(element)}");
    }

    private bool TryGet(string field, JsonValueKind kind, string expected, out JsonElement element)
    {
        if (!fields.TryGetValue(field, out element))
        {
            rejections.Add(new(field, RejectionCode.MissingField, "is missing"));
            return false;
        }
        if (element.ValueKind != kind)
        {
            rejections.Add(new(field, RejectionCode.WrongType, $"expected {expected}, found {Describe(element)}"));
            return false;
        }
        return true;
    }

    private T? Reject<T>(string field, RejectionCode code, string message) where T : struct
    {
        rejections.Add(new(field, code, message));
        return null;
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => $"the string '{Shorten(element.GetString()!)}'",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => element.GetRawText(),
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
