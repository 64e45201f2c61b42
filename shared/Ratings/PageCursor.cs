using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace WineFunctions.Ratings;

/// <summary>
/// Where a page ends, for lists ordered newest first by time, then batch id (one person's opinions,
/// the catalogue), sent to the client as an opaque URL-safe token: unlike an offset, a page never
/// skips or repeats an entry that stayed put while others arrived.
/// </summary>
public sealed record PageCursor(long AtMs, string BatchId)
{
    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{AtMs}/{BatchId}")));

    public static PageCursor? TryParse(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            var slash = text.IndexOf('/', StringComparison.Ordinal);
            return slash > 0 && long.TryParse(text.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && RatingRules.IsBatchId(text[(slash + 1)..])
                ? new PageCursor(ms, text[(slash + 1)..])
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
