using System.Globalization;
using System.Text;
using WineFunctions.Data;
using WineFunctions.Lake;
using WineFunctions.Samples;

namespace WineFunctions.Prediction;

/// <summary>
/// One row of a file given for batch prediction: the sample, the tasters' 0-10 score when the file
/// carries one, and what could not be read from the row (its rejection, instead of a class).
/// </summary>
public sealed record SampleFileRow(WineSample Sample, int? Quality, string? Problem);

/// <summary>
/// Reads a file of samples for <c>wine predict</c>: Parquet in the raw sample schema or the
/// labelled one (<see cref="SampleParquet"/>), or CSV, either the UCI form (semicolons, the UCI
/// column names, <c>quality</c> and a colour column optional) or samples with the contract's
/// field names (commas or semicolons; any of sampleId, batchId, warehouseId, deviceId, takenAt).
/// Rows a file gives no identity get <c>line-N</c> ids, so every prediction points back to its line.
/// </summary>
public static class SampleFile
{
    /// <summary>Placeholder for ids a UCI row does not carry; a valid contract id.</summary>
    public const string Unknown = "unknown";

    private static readonly string[] ColourColumns = ["wine", "colour", "color", "type"];

    /// <param name="colour">The colour of every row of a CSV file without a colour column (else taken from "red"/"white" in its name).</param>
    public static async Task<IReadOnlyList<SampleFileRow>> ReadAsync(string name, byte[] content, WineColour? colour, DateTimeOffset readAt, CancellationToken cancellationToken)
    {
        if (name.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return [.. (await SampleParquet.ReadMaybeLabelledAsync(content, cancellationToken)).Select(r => new SampleFileRow(r.Sample, r.Quality, null))];
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new InvalidDataException($"{name} is not a readable sample Parquet file (raw or labelled sample schema): {e.Message}", e);
            }
        }
        if (name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            return ReadCsv(name, Encoding.UTF8.GetString(content), colour ?? UciWineQuality.ColourFromFileName(name), readAt);
        }
        throw new InvalidDataException($"{name}: give a .csv or .parquet file of samples");
    }

    private static IReadOnlyList<SampleFileRow> ReadCsv(string name, string text, WineColour? colour, DateTimeOffset readAt)
    {
        using var reader = new StringReader(text);
        var header = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(header))
        {
            throw new InvalidDataException($"{name}: the file is empty");
        }
        var separator = header.Contains(';') ? ';' : ',';
        var columns = Split(header, separator).Select(Normalise).ToArray();
        int Column(params string[] names) => Array.FindIndex(columns, c => names.Select(Normalise).Contains(c));
        var measurementIndex = Measurement.All.Select(m => Column(m.UciColumn, m.Field)).ToArray();
        var missing = Measurement.All.Where((_, i) => measurementIndex[i] < 0).Select(m => $"'{m.UciColumn}'").ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException($"{name}: the header lacks {string.Join(", ", missing)} (columns: {string.Join(", ", columns)}; separator '{separator}')");
        }
        var colourIndex = Column(ColourColumns);
        if (colourIndex < 0 && colour is null)
        {
            throw new InvalidDataException($"{name}: no colour column ({string.Join(", ", ColourColumns)}), and the name says neither red nor white: give the colour of its wines");
        }
        var (sampleId, batchId, warehouseId, deviceId) = (Column(SampleFields.SampleId), Column(SampleFields.BatchId), Column(SampleFields.WarehouseId), Column(SampleFields.DeviceId));
        var (takenAt, quality) = (Column(SampleFields.TakenAt), Column(SampleParquet.QualityColumn));

        var rows = new List<SampleFileRow>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Trim().Length == 0)
            {
                continue;
            }
            var cells = Split(line, separator);
            var problems = new List<string>();
            if (cells.Length != columns.Length)
            {
                problems.Add($"line {lineNumber}: {cells.Length} cells where the header has {columns.Length}");
                cells = [.. cells, .. Enumerable.Repeat("", Math.Max(0, columns.Length - cells.Length))];
            }
            string Cell(int index, string fallback) => index >= 0 && cells[index].Length > 0 ? cells[index] : fallback;
            var values = new double[Measurement.All.Count];
            for (var i = 0; i < values.Length; i++)
            {
                var cell = cells[measurementIndex[i]];
                if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
                {
                    values[i] = double.NaN;
                    problems.Add($"{Measurement.All[i].Field}: '{cell}' is not a number");
                }
            }
            var wine = colour ?? WineColour.Red;
            if (colourIndex >= 0)
            {
                switch (cells[colourIndex].ToLowerInvariant())
                {
                    case "red": wine = WineColour.Red; break;
                    case "white": wine = WineColour.White; break;
                    default: problems.Add($"{SampleFields.Wine}: '{cells[colourIndex]}' is not a wine colour (red or white)"); break;
                }
            }
            var at = readAt;
            if (takenAt >= 0 && cells[takenAt].Length > 0 && !DateTimeOffset.TryParse(cells[takenAt], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at))
            {
                problems.Add($"{SampleFields.TakenAt}: '{cells[takenAt]}' is not a timestamp");
                at = readAt;
            }
            int? score = quality >= 0 && int.TryParse(cells[quality], NumberStyles.Integer, CultureInfo.InvariantCulture, out var q) ? q : null;
            var sample = WineSample.Create(Cell(sampleId, $"line-{lineNumber}"), Cell(batchId, Unknown), Cell(warehouseId, Unknown), Cell(deviceId, Unknown),
                at, wine, values);
            rows.Add(new SampleFileRow(sample, score, problems.Count == 0 ? null : string.Join("; ", problems)));
        }
        return rows;
    }

    /// <summary>Splits a CSV line, honouring double quotes (the UCI header quotes its names).</summary>
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

    /// <summary>"fixed acidity", "fixedAcidity" and "fixed_acidity" name the same column.</summary>
    private static string Normalise(string column) => column.Replace(" ", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
}
