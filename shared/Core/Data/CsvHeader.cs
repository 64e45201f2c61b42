using System.Text;
using WineFunctions.Samples;

namespace WineFunctions.Data;

/// <summary>
/// The header of a CSV file of samples, and how its lines split: semicolons when the header has
/// one (the UCI files), else commas; double quotes honoured. Column names match whatever their
/// spacing, underscores and case, so "fixed acidity", "fixedAcidity" and "fixed_acidity" are one.
/// </summary>
public sealed class CsvHeader
{
    /// <summary>Names a colour column may have.</summary>
    public static readonly IReadOnlyList<string> ColourColumns = ["wine", "colour", "color", "type"];

    private readonly string[] _normalised;

    private CsvHeader(char separator, string[] columns)
    {
        Separator = separator;
        Columns = columns;
        _normalised = [.. columns.Select(Normalise)];
    }

    public char Separator { get; }

    /// <summary>The column names as the file gives them.</summary>
    public IReadOnlyList<string> Columns { get; }

    public static CsvHeader Parse(string line)
    {
        var separator = line.Contains(';') ? ';' : ',';
        return new CsvHeader(separator, Split(line, separator));
    }

    /// <summary>The index of the first column with any of these names, or -1.</summary>
    public int IndexOf(params IEnumerable<string> names)
    {
        var wanted = names.Select(Normalise).ToHashSet();
        return Array.FindIndex(_normalised, wanted.Contains);
    }

    /// <summary>Where each of the 11 measurements is (its UCI name or its contract field), -1 where absent.</summary>
    public int[] MeasurementIndexes() => [.. Measurement.All.Select(m => IndexOf(m.UciColumn, m.Field))];

    /// <summary>The UCI names of the measurements the header lacks, quoted, for a message.</summary>
    public List<string> MissingMeasurements()
    {
        var at = MeasurementIndexes();
        return [.. Measurement.All.Where((_, i) => at[i] < 0).Select(m => $"'{m.UciColumn}'")];
    }

    /// <summary>"(columns: a, b; separator ';')", for a message about the header.</summary>
    public string Describe() => $"(columns: {string.Join(", ", Columns)}; separator '{Separator}')";

    public string[] Cells(string line) => Split(line, Separator);

    private static string[] Split(string line, char separator)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '"')
            {
                if (quoted && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else
                {
                    quoted = !quoted;
                }
            }
            else if (c == separator && !quoted)
            {
                cells.Add(cell.ToString().Trim());
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }
        cells.Add(cell.ToString().Trim());
        return [.. cells];
    }

    private static string Normalise(string column) =>
        column.Replace(" ", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
}
