using ScottPlot;

namespace WineFunctions.Explore.Report;

/// <summary>The report's charts as PNG images (ScottPlot on SkiaSharp; needs a system font such as Debian's fonts-dejavu-core).</summary>
public static class ReportCharts
{
    public const int Width = 900;
    public const int Height = 420;

    private static readonly Dictionary<string, Color> ClassColours = new()
    {
        ["good"] = Color.FromHex("#d95f02"),
        ["better"] = Color.FromHex("#7570b3"),
        ["best"] = Color.FromHex("#1b9e77"),
        ["red"] = Color.FromHex("#9b2335"),
        ["white"] = Color.FromHex("#e3c565"),
    };

    // The first sans-serif face the machine has (Debian: fonts-dejavu-core); ScottPlot's default may resolve to a serif one.
    private static readonly string FontName = new[] { "DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial" }
        .FirstOrDefault(name => SkiaSharp.SKFontManager.Default.FontFamilies.Contains(name)) ?? Fonts.Sans;

    private static readonly Color Neutral = Color.FromHex("#4c72b0");

    /// <summary>One bar per category, labelled below.</summary>
    public static byte[] Bars(string title, string yLabel, IReadOnlyList<(string Label, double Value)> bars)
    {
        var plot = NewPlot(title);
        var items = bars.Select((b, i) => new Bar { Position = i, Value = b.Value, FillColor = Neutral, Label = Number(b.Value) }).ToArray();
        var plottable = plot.Add.Bars(items);
        plottable.ValueLabelStyle.FontSize = 13;
        CategoryAxis(plot, bars.Select(b => b.Label).ToList());
        plot.YLabel(yLabel);
        plot.Axes.Margins(bottom: 0, top: 0.15);
        return Png(plot);
    }

    /// <summary>Bars of several series side by side per category, with a legend.</summary>
    public static byte[] GroupedBars(string title, string yLabel, IReadOnlyList<string> categories, IReadOnlyList<(string Series, double[] Values)> series)
    {
        var plot = NewPlot(title);
        var width = 0.8 / series.Count;
        for (var s = 0; s < series.Count; s++)
        {
            var colour = series.Count == 1 ? Neutral : SeriesColour(series[s].Series, s);
            var bars = series[s].Values.Select((v, i) => new Bar
            {
                Position = i - 0.4 + width * (s + 0.5), Value = v, Size = width * 0.95, FillColor = colour, Label = Number(v),
            }).ToArray();
            plot.Add.Bars(bars);
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = series[s].Series, FillColor = colour });
        }
        CategoryAxis(plot, categories);
        plot.YLabel(yLabel);
        plot.Axes.Margins(bottom: 0, top: 0.15);
        plot.ShowLegend(Alignment.UpperRight);
        return Png(plot);
    }

    /// <summary>Frequency polygons, one line per series over shared bin centres: how a measurement spreads in each class.</summary>
    public static byte[] Distributions(string title, string xLabel, double[] binCentres, IReadOnlyList<(string Series, double[] Shares)> series)
    {
        var plot = NewPlot(title, fontSize: 14);
        for (var s = 0; s < series.Count; s++)
        {
            var line = plot.Add.ScatterLine(binCentres, series[s].Shares.Select(v => v * 100).ToArray(), SeriesColour(series[s].Series, s));
            line.LineWidth = 2.5f;
            line.LegendText = series[s].Series;
            line.FillY = series.Count <= 3;
            line.FillYColor = SeriesColour(series[s].Series, s).WithAlpha(40);
        }
        plot.XLabel(xLabel);
        plot.YLabel("% of the class's rows");
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Alignment.UpperRight);
        return Png(plot, 440, 300);
    }

    /// <summary>A reliability chart: each bin's accuracy against its mean top probability, beside the diagonal a calibrated model would follow.</summary>
    public static byte[] Reliability(string title, IReadOnlyList<(double Confidence, double Accuracy, int Rows)> bins)
    {
        var plot = NewPlot(title);
        var diagonal = plot.Add.ScatterLine(new[] { 0.0, 1.0 }, new[] { 0.0, 1.0 }, Neutral);
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.LegendText = "calibrated";
        var measured = plot.Add.Scatter(bins.Select(b => b.Confidence).ToArray(), bins.Select(b => b.Accuracy).ToArray(), SeriesColour("held out", 0));
        measured.LineWidth = 2.5f;
        measured.MarkerSize = 9;
        measured.LegendText = "held out (each bin's rows next to it)";
        foreach (var (confidence, accuracy, rows) in bins)
        {
            var label = plot.Add.Text(rows.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), confidence, accuracy);
            label.LabelFontSize = 12;
            label.OffsetY = -14;
        }
        plot.XLabel("mean top probability (how sure the model says it is)");
        plot.YLabel("accuracy (how often it is right)");
        plot.Axes.SetLimits(0, 1, 0, 1);
        plot.ShowLegend(Alignment.UpperLeft);
        return Png(plot);
    }

    /// <summary>A matrix of values as coloured cells with the value written in each (correlations, confusion counts).</summary>
    public static byte[] Matrix(string title, IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnLabels, double[,] values,
        IColormap colormap, ScottPlot.Range? range, string format, string? xLabel = null, string? yLabel = null, int width = Width, int height = 760)
    {
        var plot = NewPlot(title);
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = colormap;
        heatmap.ManualRange = range;
        var rows = values.GetLength(0);
        var columns = values.GetLength(1);
        var (low, high) = range is { } r ? (r.Min, r.Max) : (values.Cast<double>().Where(double.IsFinite).DefaultIfEmpty(0).Min(), values.Cast<double>().Where(double.IsFinite).DefaultIfEmpty(1).Max());
        for (var row = 0; row < rows; row++)
        {
            for (var column = 0; column < columns; column++)
            {
                var value = values[row, column];
                var text = plot.Add.Text(double.IsFinite(value) ? value.ToString(format, System.Globalization.CultureInfo.InvariantCulture) : "–", column, rows - 1 - row);
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontSize = columns > 6 ? 11 : 18;
                // Dark text on the light middle of the scale, light text on its ends.
                var position = high > low ? (value - low) / (high - low) : 0.5;
                text.LabelFontColor = double.IsFinite(value) && (position < 0.25 || position > 0.75) ? Colors.White : Colors.Black;
            }
        }
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, columns).Select(i => (double)i).ToArray(), [.. columnLabels]);
        plot.Axes.Left.SetTicks(Enumerable.Range(0, rows).Select(i => (double)(rows - 1 - i)).ToArray(), [.. rowLabels]);
        if (columns > 6)
        {
            RotateLabels(plot, columnLabels);
        }
        if (xLabel is not null)
        {
            plot.XLabel(xLabel);
        }
        if (yLabel is not null)
        {
            plot.YLabel(yLabel);
        }
        plot.Add.ColorBar(heatmap);
        plot.Grid.IsVisible = false;
        return Png(plot, width, height);
    }

    private static Color SeriesColour(string series, int index) =>
        ClassColours.TryGetValue(series, out var colour) ? colour : new ScottPlot.Palettes.Category10().GetColor(index);

    private static Plot NewPlot(string title, float fontSize = 16)
    {
        var plot = new Plot();
        plot.Font.Set(FontName);
        plot.Title(title, fontSize);
        return plot;
    }

    private static void CategoryAxis(Plot plot, IReadOnlyList<string> labels)
    {
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, labels.Count).Select(i => (double)i).ToArray(), [.. labels]);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        if (labels.Count > 8 || labels.Any(l => l.Length > 12))
        {
            RotateLabels(plot, labels);
        }
        plot.HideGrid();
    }

    /// <summary>Slanted labels below the axis, with room for the longest.</summary>
    private static void RotateLabels(Plot plot, IReadOnlyList<string> labels)
    {
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 20 + 6 * labels.Max(l => l.Length);
    }

    private static string Number(double value) => value.ToString(Math.Abs(value) >= 10 || value == Math.Round(value) ? "N0" : "0.###", System.Globalization.CultureInfo.InvariantCulture);

    private static byte[] Png(Plot plot, int width = Width, int height = Height) => plot.GetImageBytes(width, height, ImageFormat.Png);
}
