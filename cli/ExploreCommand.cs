using System.CommandLine;
using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using Spectre.Console;
using WineFunctions.Explore;

namespace WineFunctions.Cli;

/// <summary><c>wine explore</c>: SQL over the lake's ready views, one statement (<c>--sql</c>) or a prompt.</summary>
public static class ExploreCommand
{
    public static Command Create()
    {
        var lake = new LakeOptions();
        var sql = new Option<string?>("--sql") { Description = "Run this SQL, print the result and exit (default: an interactive prompt)." };
        var maxRows = CliOptions.Range("--max-rows", "Rows printed per result.", 200, 1, 1_000_000);
        var command = new Command("explore", $"SQL over the lake (DuckDB) with the views {string.Join(", ", LakeViews.All)}.") { sql, maxRows };
        lake.AddTo(command);
        command.SetAction(async (parse, cancellationToken) => await CliErrors.RunAsync(async () =>
        {
            var store = lake.Settings(parse).Open();
            try
            {
                await using var session = await LakeProgress.OpenAsync(store, lake.CacheFolder(parse), cancellationToken);
                if (parse.GetValue(sql) is { } statement)
                {
                    Print(await session.QueryAsync(statement, parse.GetValue(maxRows), cancellationToken));
                    return 0;
                }
                return await PromptAsync(session, parse.GetValue(maxRows), cancellationToken);
            }
            finally
            {
                (store as IDisposable)?.Dispose();
            }
        }, cancellationToken));
        return command;
    }

    /// <summary>Reads statements ending in ';' until end of input or <c>.quit</c>; a failing statement shows DuckDB's message and the prompt goes on.</summary>
    private static async Task<int> PromptAsync(ExploreSession session, int maxRows, CancellationToken cancellationToken)
    {
        AnsiConsole.MarkupLineInterpolated($"[green]{session.Source}[/]: views {string.Join(", ", LakeViews.All)}. End statements with ';'. .views lists columns, .quit leaves.");
        var statement = new StringBuilder();
        while (!cancellationToken.IsCancellationRequested)
        {
            Console.Write(statement.Length == 0 ? "wine> " : "  ...> ");
            var line = await Console.In.ReadLineAsync(cancellationToken);
            if (line is null || (statement.Length == 0 && line.Trim() is ".quit" or ".exit"))
            {
                break;
            }
            if (statement.Length == 0 && line.Trim() == ".views")
            {
                await RunAsync(session, "SELECT table_name AS view, string_agg(column_name || ' ' || data_type, ', ' ORDER BY ordinal_position) AS columns FROM information_schema.columns GROUP BY table_name ORDER BY table_name", 100, cancellationToken);
                continue;
            }
            statement.AppendLine(line);
            if (line.TrimEnd().EndsWith(';'))
            {
                await RunAsync(session, statement.ToString(), maxRows, cancellationToken);
                statement.Clear();
            }
        }
        return 0;
    }

    private static async Task RunAsync(ExploreSession session, string sql, int maxRows, CancellationToken cancellationToken)
    {
        try
        {
            Print(await session.QueryAsync(sql, maxRows, cancellationToken));
        }
        catch (DuckDBException e)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error[/]: {e.Message}");
        }
    }

    private static void Print(QueryResult result)
    {
        if (result.Columns.Count == 0)
        {
            AnsiConsole.WriteLine("ok");
            return;
        }
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in result.Columns)
        {
            table.AddColumn(new TableColumn(new Text(column)));
        }
        foreach (var row in result.Rows)
        {
            table.AddRow(row.Select(v => new Text(Format(v))).ToArray());
        }
        table.Caption = new TableTitle(result.Truncated ? $"first {result.Rows.Count} rows (--max-rows)" : result.Rows.Count == 1 ? "1 row" : $"{result.Rows.Count} rows");
        AnsiConsole.Write(table);
    }

    private static string Format(object? value) => value switch
    {
        null => "NULL",
        double d => d.ToString("G10", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("yyyy-MM-dd HH:mm:sszzz", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
