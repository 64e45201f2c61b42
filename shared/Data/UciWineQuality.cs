using System.Globalization;
using WineFunctions.Samples;

namespace WineFunctions.Data;

/// <summary>One labelled row of the UCI Wine Quality data (Cortez et al. 2009).</summary>
public sealed record LabelledMeasurements(WineColour Colour, double[] Values, int Quality)
{
    public QualityClass Class => QualityClasses.FromScore(Quality);
}

/// <summary>
/// Reads the UCI files exactly as published: semicolon-separated, quoted header, the 11
/// measurements and <c>quality</c>, with or without a colour column.
/// </summary>
public static class UciWineQuality
{
    public const string RedFile = "winequality-red.csv";
    public const string WhiteFile = "winequality-white.csv";

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
        var header = reader.ReadLine() ?? throw new FormatException($"{source}: the file is empty");
        var columns = header.Split(';').Select(c => c.Trim().Trim('"').ToLowerInvariant()).ToArray();
        var measurementIndex = Measurement.All.Select(m => IndexOf(columns, m.UciColumn, source)).ToArray();
        var qualityIndex = IndexOf(columns, "quality", source);
        var colourIndex = Array.FindIndex(columns, c => c is ColourColumn or "color" or "wine" or "type");
        if (colourIndex < 0 && colour is null)
        {
            throw new FormatException($"{source}: no colour column, and no colour was given for the file");
        }

        var rows = new List<LabelledMeasurements>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }
            var cells = line.Split(';');
            if (cells.Length != columns.Length)
            {
                throw new FormatException($"{source}:{lineNumber}: {cells.Length} cells where the header has {columns.Length}");
            }
            var values = measurementIndex.Select(i => ParseNumber(cells[i], columns[i], source, lineNumber)).ToArray();
            var quality = ParseNumber(cells[qualityIndex], "quality", source, lineNumber);
            var rowColour = colourIndex >= 0 ? ParseColour(cells[colourIndex], source, lineNumber) : colour!.Value;
            rows.Add(new LabelledMeasurements(rowColour, values, (int)quality));
        }
        return rows;
    }

    /// <summary>The column <see cref="Write"/> adds after the published ones, so one file can hold both colours.</summary>
    public const string ColourColumn = "colour";

    /// <summary>
    /// Rows in the published form (semicolons, quoted header, the 11 measurements then
    /// <c>quality</c>) with a <c>colour</c> column last, which <see cref="Read(TextReader, WineColour?, string)"/> reads back.
    /// </summary>
    public static void Write(TextWriter writer, IEnumerable<LabelledMeasurements> rows)
    {
        writer.Write(string.Join(';', Measurement.All.Select(m => m.UciColumn).Append("quality").Append(ColourColumn).Select(c => $"\"{c}\"")));
        writer.Write('\n');
        foreach (var row in rows)
        {
            foreach (var value in row.Values)
            {
                writer.Write(value.ToString("R", CultureInfo.InvariantCulture));
                writer.Write(';');
            }
            writer.Write(row.Quality.ToString(CultureInfo.InvariantCulture));
            writer.Write(row.Colour == WineColour.Red ? ";\"red\"\n" : ";\"white\"\n");
        }
    }

    private static int IndexOf(string[] columns, string name, string source)
    {
        var index = Array.IndexOf(columns, name.ToLowerInvariant());
        return index >= 0 ? index : throw new FormatException($"{source}: the header has no '{name}' column");
    }

    private static double ParseNumber(string cell, string column, string source, int line) =>
        double.TryParse(cell.Trim().Trim('"'), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new FormatException($"{source}:{line}: '{cell}' in column '{column}' is not a number");

    private static WineColour ParseColour(string cell, string source, int line) => cell.Trim().Trim('"').ToLowerInvariant() switch
    {
        "red" => WineColour.Red,
        "white" => WineColour.White,
        _ => throw new FormatException($"{source}:{line}: '{cell}' is not a wine colour (red or white)"),
    };
}
