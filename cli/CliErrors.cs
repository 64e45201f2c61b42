using Spectre.Console;
using WineFunctions.Simulation;

namespace WineFunctions.Cli;

/// <summary>Turns the errors a user can cause or fix into one clear line and an exit code, not a stack trace.</summary>
internal static class CliErrors
{
    public const int Failed = 1;
    public const int Interrupted = 130;

    public static async Task<int> RunAsync(Func<Task<int>> work, CancellationToken cancellationToken)
    {
        try
        {
            return await work();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Interrupted;
        }
        catch (Exception e) when (e is SimulatorException or IOException or FormatException or UnauthorizedAccessException or InvalidDataException
                                      or System.Net.Sockets.SocketException or CliUsageException or DuckDB.NET.Data.DuckDBException
                                      or Amazon.Runtime.AmazonServiceException or Azure.RequestFailedException or HttpRequestException
                                      or Explore.DatasetRefusedException or InvalidOperationException or ArgumentException or Confluent.Kafka.KafkaException)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error[/]: {e.Message}");
            return Failed;
        }
    }
}
