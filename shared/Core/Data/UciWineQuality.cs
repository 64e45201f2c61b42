using System.Globalization;
using WineFunctions.Samples;

namespace WineFunctions.Data;

/// <summary>One labelled row of the UCI Wine Quality data (Cortez et al. 2009).</summary>
public sealed record LabelledMeasurements(WineColour Colour, double[] Values, int Quality)
{
    public QualityClass Class => QualityClasses.FromScore(Quality);
}

/// <summary>
/// Reads the UCI files as published (semicolon-separated, quoted header, the 11 measurements and
/// <c>quality</c>, with or without a colour column), and the same table with commas or the
/// contract's field names (<see cref="CsvHeader"/>).
/// </summary>
public static class UciWineQuality
{
    public const string RedFile = "winequality-red.csv";
    public const string WhiteFile = "winequality-white.csv";
    private const string QualityColumn = "quality";

    /// <summary>Rows in the published form, with a colour column so red and white can share one file.</summary>
    public static string Write(IEnumerable<LabelledMeasurements> rows)
    {
        var csv = new System.Text.StringBuilder(string.Join(';', Measurement.All.Select(m => $"\"{m.UciColumn}\"").Append($"\"{QualityColumn}\"").Append("\"colour\""))).Append('\n');
        foreach (var row in rows)
        {
            csv.AppendJoin(';', row.Values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))
                .Append(';').Append(row.Quality.ToString(CultureInfo.InvariantCulture)).Append(';').Append(row.Colour.Name()).Append('\n');
        }
        return csv.ToString();
    }

    /// <summary>
    /// The colour a file's name says (winequality-red.csv is red), or null; a file with a colour
    /// column needs none. Object keys and paths alike: only the last segment counts.
    /// </summary>
    public static WineColour? ColourFromFileName(string path)
    {
        var name = path[(path.LastIndexOfAny(['/', '\\']) + 1)..];
        return name.Contains("red", StringComparison.OrdinalIgnoreCase) ? WineColour.Red
            : name.Contains("white", StringComparison.OrdinalIgnoreCase) ? WineColour.White
            : null;
    }

    /// <summary>Both published files from a folder; the colour comes from the file name.</summary>
    public static IReadOnlyList<LabelledMeasurements> ReadFolder(string folder) =>
    [
        .. Read(Path.Combine(folder, RedFile), WineColour.Red),
        .. Read(Path.Combine(folder, WhiteFile), WineColour.White),
    ];

    public static IReadOnlyList<LabelledMeasurements> Read(string path, WineColour? colour)
    {
        using var reader = new StreamReader(path);
        return Read(reader, colour, path);
    }

    /// <param name="colour">The colour of every row when the file has no colour column.</param>
    public static IReadOnlyList<LabelledMeasurements> Read(TextReader reader, WineColour? colour, string source)
    {
        var read = ReadChecked(reader, colour, source);
        return read.Problems.Count == 0 ? read.Rows : throw new FormatException(string.Join("; ", read.Problems));
    }

    /// <summary>Reads what it can and names every problem (up to <paramref name="maxProblems"/>), for uploads that must be answered with all their faults.</summary>
    public static UciReadResult ReadChecked(TextReader reader, WineColour? colour, string source, int maxProblems = 20)
    {
        var problems = new List<string>();
        var rows = new List<LabelledMeasurements>();
        var header = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(header))
        {
            return new(rows, [$"{source}: the file is empty"]);
        }
        var columns = CsvHeader.Parse(header);
        var qualityIndex = columns.IndexOf(QualityColumn);
        var missing = columns.MissingMeasurements();
        if (qualityIndex < 0)
        {
            missing.Add($"'{QualityColumn}'");
        }
        var colourIndex = columns.IndexOf(CsvHeader.ColourColumns);
        if (colourIndex < 0 && colour is null)
        {
            problems.Add($"{source}: no colour column, and no colour was given for the file");
        }
        if (missing.Count > 0)
        {
            problems.Add($"{source}: the header lacks {string.Join(", ", missing)} {columns.Describe()}");
        }
        if (problems.Count > 0)
        {
            return new(rows, problems);
        }
        var measurementIndex = columns.MeasurementIndexes();

        var lineNumber = 1;
        while (reader.ReadLine() is { } line && problems.Count < maxProblems)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }
            var cells = columns.Cells(line);
            if (cells.Length != columns.Columns.Count)
            {
                problems.Add($"{source}:{lineNumber}: {cells.Length} cells where the header has {columns.Columns.Count}");
                continue;
            }
            var values = new double[measurementIndex.Length];
            var good = true;
            for (var i = 0; i < values.Length; i++)
            {
                good &= TryNumber(cells[measurementIndex[i]], Measurement.All[i].UciColumn, source, lineNumber, problems, out values[i]);
            }
            good &= TryNumber(cells[qualityIndex], QualityColumn, source, lineNumber, problems, out var quality);
            WineColour? rowColour = colourIndex >= 0 ? ParseColour(cells[colourIndex]) : colour;
            if (rowColour is null)
            {
                problems.Add($"{source}:{lineNumber}: '{cells[colourIndex]}' is not a wine colour (red or white)");
                good = false;
            }
            if (good)
            {
                rows.Add(new LabelledMeasurements(rowColour!.Value, values, (int)quality));
            }
        }
        return new(rows, problems);
    }

    private static bool TryNumber(string cell, string column, string source, int line, List<string> problems, out double value)
    {
        if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value))
        {
            return true;
        }
        problems.Add($"{source}:{line}: '{cell}' in column '{column}' is not a number");
        return false;
    }

    private static WineColour? ParseColour(string cell) => cell.ToLowerInvariant() switch
    {
        "red" => WineColour.Red,
        "white" => WineColour.White,
        _ => null,
    };
}

/// <summary>The rows that could be read, and what was wrong with the rest.</summary>
public sealed record UciReadResult(IReadOnlyList<LabelledMeasurements> Rows, IReadOnlyList<string> Problems);
