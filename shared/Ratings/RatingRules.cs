using WineFunctions.Samples;

namespace WineFunctions.Ratings;

/// <summary>
/// The limits of a rating: 1-5 stars, a 0-10 taster score, a short note. Each broken rule is
/// named by the field it concerns, as RFC 9457 validation problems list them.
/// </summary>
public static class RatingRules
{
    public const int MinStars = 1;
    public const int MaxStars = 5;
    public const int MinScore = 0;
    public const int MaxScore = 10;
    public const int NoteMaxLength = 500;

    /// <summary>Batch ids follow the sample contract's id rule.</summary>
    public static bool IsBatchId(string? batchId) => batchId is not null && SampleValidator.IsValidId(batchId);

    public static Dictionary<string, string[]> Check(RatingRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Stars is not { } stars)
        {
            errors["stars"] = ["stars is required"];
        }
        else if (stars is < MinStars or > MaxStars)
        {
            errors["stars"] = [$"stars must be between {MinStars} and {MaxStars}"];
        }
        CheckNote(request.Note, errors);
        return errors;
    }

    public static Dictionary<string, string[]> Check(TasterScoreRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Score is not { } score)
        {
            errors["score"] = ["score is required"];
        }
        else if (score is < MinScore or > MaxScore)
        {
            errors["score"] = [$"score must be between {MinScore} and {MaxScore}"];
        }
        CheckNote(request.Note, errors);
        return errors;
    }

    /// <summary>An empty or blank note is no note.</summary>
    public static string? Normalise(string? note) => string.IsNullOrWhiteSpace(note) ? null : note.Trim();

    private static void CheckNote(string? note, Dictionary<string, string[]> errors)
    {
        if (note is null)
        {
            return;
        }
        if (note.Length > NoteMaxLength)
        {
            errors["note"] = [$"note must be at most {NoteMaxLength} characters"];
        }
        else if (note.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            errors["note"] = ["note must not hold control characters"];
        }
    }
}
