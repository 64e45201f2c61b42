using System.Net;
using System.Text;

namespace WineFunctions.Explore.Report;

/// <summary>The report as one self-contained HTML file: styles inline, charts as base64 PNG data URLs, nothing fetched.</summary>
public static class ReportHtml
{
    public static string Render(WineReport report)
    {
        var html = new StringBuilder();
        html.Append($"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Wine report · {E(report.Source)}</title>
            <style>
            body {"{"} font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1900px; padding: 0 1rem; color: #222; {"}"}
            h1 {"{"} margin-bottom: .2rem; {"}"} .meta {"{"} color: #666; margin-top: 0; {"}"}
            section {"{"} border-top: 1px solid #ddd; margin-top: 1.5rem; {"}"}
            .charts {"{"} display: flex; flex-wrap: wrap; gap: 1rem; {"}"}
            figure {"{"} margin: 0; {"}"} figure img {"{"} max-width: 100%; border: 1px solid #eee; {"}"}
            figcaption {"{"} font-size: .85rem; color: #555; {"}"}
            table {"{"} border-collapse: collapse; margin: .5rem 0; {"}"} td, th {"{"} border: 1px solid #ccc; padding: .2rem .6rem; text-align: left; {"}"}
            .note {"{"} color: #444; {"}"}
            nav a {"{"} margin-right: 1rem; {"}"}
            </style></head><body>
            <h1>Wine report</h1>
            <p class="meta">{E(report.Source)} · {report.Rows:N0} samples · made {report.CreatedAt:yyyy-MM-dd HH:mm} UTC</p>
            <nav>{string.Concat(report.Sections.Select(s => $"<a href=\"#{s.Id}\">{E(s.Title)}</a>"))}</nav>

            """);
        foreach (var section in report.Sections)
        {
            html.Append($"<section id=\"{section.Id}\"><h2>{E(section.Title)}</h2>\n");
            foreach (var note in section.Notes)
            {
                html.Append($"<p class=\"note\">{E(note)}</p>\n");
            }
            if (section.Charts.Count > 0)
            {
                html.Append("<div class=\"charts\">\n");
                foreach (var chart in section.Charts)
                {
                    html.Append($"<figure data-chart=\"{chart.Id}\"><img alt=\"{E(chart.Title)}\" src=\"data:image/png;base64,{Convert.ToBase64String(chart.Png)}\"><figcaption>{E(chart.Title)}</figcaption></figure>\n");
                }
                html.Append("</div>\n");
            }
            foreach (var table in section.Tables)
            {
                html.Append($"<table><caption>{E(table.Title)}</caption><tr>{string.Concat(table.Columns.Select(c => $"<th>{E(c)}</th>"))}</tr>\n");
                foreach (var row in table.Rows)
                {
                    html.Append($"<tr>{string.Concat(row.Select(c => $"<td>{E(c)}</td>"))}</tr>\n");
                }
                html.Append("</table>\n");
            }
            html.Append("</section>\n");
        }
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
