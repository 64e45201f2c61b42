using System.Collections.Concurrent;
using System.Diagnostics;
using WineFunctions.Lake;
using WineFunctions.Tests.Infrastructure;
using WineFunctions.Tests.Stack;

namespace WineFunctions.Tests.Sink;

/// <summary><c>wine sink</c>, the sink for a container: a real process against the Kafka mock cluster and a folder lake.</summary>
[Collection(Collections.Librdkafka)]
public sealed class SinkCommandTests
{
    [Fact]
    public async Task Wine_sink_holds_the_topic_and_when_its_container_stops_it_stores_it_and_exits_cleanly()
    {
        await using var harness = new SinkHarness(partitions: 3);
        await harness.ProduceAsync(SinkHarness.Samples(300));
        var folder = Directory.CreateTempSubdirectory("wine-sink-command-");
        try
        {
            var lake = Path.Combine(folder.FullName, "lake");
            // Runs bigger than the topic and a long interval: only the stop writes them, so the test sees that it does.
            using var process = Process.Start(new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "wine.dll"), "sink",
                "--bootstrap-servers", harness.Kafka.BootstrapServers, "--topic", SinkHarness.Topic, "--lake", lake,
                "--flush-records", "1000", "--flush-interval", "00:10:00"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var lines = new ConcurrentQueue<string>();
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                // The status line every 10 s: all 300 read, none stored yet.
                await SinkHarness.WaitForAsync(() => Task.FromResult(lines.Any(l => l.StartsWith("0 samples stored") && l.Contains("300 buffered"))),
                    TimeSpan.FromSeconds(60), "wine sink holding the 300 samples");
                // SIGTERM, as a container runtime stops it (and as Ctrl-C does; a shell's background job ignores SIGINT).
                Process.Start("kill", ["-TERM", process.Id.ToString()])!.WaitForExit();
                await SinkHarness.WaitForAsync(() => Task.FromResult(process.HasExited), TimeSpan.FromSeconds(60), "wine sink exiting after SIGTERM");
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"{e.Message}; it wrote: {string.Join('\n', lines)}");
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            var output = string.Join('\n', lines);
            Assert.True(process.ExitCode == 0, output);
            Assert.Contains(lines, l => l.StartsWith("300 samples stored"));
            var stored = await SinkHarness.StoredSampleIdsAsync(new FolderObjectStore(lake));
            Assert.Equal(300, stored.Count);
            Assert.Equal(300, stored.Distinct().Count());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_bad_setting_stops_wine_sink_at_start_naming_the_option()
    {
        var (exitCode, output) = await WineUpTests.RunWineAsync(Path.GetTempPath(), "sink", "--bootstrap-servers", "127.0.0.1:1", "--flush-records", "0", "--flush-interval", "00:00:00");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("--flush-records must be at least 1", output);
        Assert.Contains("--flush-interval must be at least", output);
    }
}
