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
        var columns = CsvHeader.Parse(header);
        var missing = columns.MissingMeasurements();
        if (missing.Count > 0)
        {
            throw new InvalidDataException($"{name}: the header lacks {string.Join(", ", missing)} {columns.Describe()}");
        }
        var measurementIndex = columns.MeasurementIndexes();
        var colourIndex = columns.IndexOf(CsvHeader.ColourColumns);
        if (colourIndex < 0 && colour is null)
        {
            throw new InvalidDataException($"{name}: no colour column ({string.Join(", ", CsvHeader.ColourColumns)}), and the name says neither red nor white: give the colour of its wines");
        }
        var (sampleId, batchId, warehouseId, deviceId) = (columns.IndexOf(SampleFields.SampleId), columns.IndexOf(SampleFields.BatchId),
            columns.IndexOf(SampleFields.WarehouseId), columns.IndexOf(SampleFields.DeviceId));
        var (takenAt, quality) = (columns.IndexOf(SampleFields.TakenAt), columns.IndexOf(SampleParquet.QualityColumn));

        var rows = new List<SampleFileRow>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Trim().Length == 0)
            {
                continue;
            }
            var cells = columns.Cells(line);
            var problems = new List<string>();
            if (cells.Length != columns.Columns.Count)
            {
                problems.Add($"line {lineNumber}: {cells.Length} cells where the header has {columns.Columns.Count}");
                cells = [.. cells, .. Enumerable.Repeat("", Math.Max(0, columns.Columns.Count - cells.Length))];
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
}
