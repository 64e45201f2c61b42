using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace WineFunctions.Ratings;

/// <summary>
/// Where a page of one person's opinions ends (newest first: time, then batch id), sent to the
/// client as an opaque URL-safe token; a page never skips or repeats an opinion that stayed put.
/// </summary>
public sealed record OpinionCursor(long AtMs, string BatchId)
{
    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{AtMs}/{BatchId}")));

    public static OpinionCursor? TryParse(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            var slash = text.IndexOf('/', StringComparison.Ordinal);
            return slash > 0 && long.TryParse(text.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && RatingRules.IsBatchId(text[(slash + 1)..])
                ? new OpinionCursor(ms, text[(slash + 1)..])
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
