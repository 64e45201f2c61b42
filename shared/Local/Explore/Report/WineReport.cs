namespace WineFunctions.Explore.Report;

/// <summary>A chart as a PNG image; <see cref="Id"/> names it in the HTML (<c>data-chart</c>).</summary>
public sealed record ReportChart(string Id, string Title, byte[] Png);

public sealed record ReportTable(string Title, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows);

/// <summary>One heading of the report: its charts, tables and notes (what is missing, where classes come from).</summary>
public sealed record ReportSection(string Id, string Title)
{
    public List<ReportChart> Charts { get; } = [];
    public List<ReportTable> Tables { get; } = [];
    public List<string> Notes { get; } = [];
}

/// <summary>What <c>wine report</c> shows about a lake or a data file.</summary>
public sealed record WineReport(string Source, DateTimeOffset CreatedAt, long Rows, IReadOnlyList<ReportSection> Sections);
