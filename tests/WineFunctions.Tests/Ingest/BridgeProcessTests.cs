using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using WineFunctions.Ingest;
using WineFunctions.Mqtt;
using WineFunctions.Samples;
using WineFunctions.Tests.Infrastructure;
using WineFunctions.Tests.Samples;

namespace WineFunctions.Tests.Ingest;

[Collection(Collections.Librdkafka)]
public sealed class BridgeProcessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_bridge_killed_mid_stream_and_restarted_loses_no_sample()
    {
        var accounts = BridgeTests.Accounts(3, 1);
        await using var mosquitto = await BridgeTests.StartMosquittoWithAclAsync(accounts);
        await using var harness = BridgeHarness.Create();
        var options = harness.Options(mosquitto.Port, "wine-bridge", accounts[^1].Password);
        var httpPort = EmbeddedMqttBroker.FreeLoopbackPort();

        await using var bridge = BridgeProcess.Start(options, httpPort);
        await WaitHealthyAsync(httpPort, bridge);
        var simulator = BridgeTests.Simulator(mosquitto.Port, accounts, samples: 1500, rate: 300);
        var running = simulator.RunAsync(CancellationToken.None, CancellationToken.None);

        // Kill once a part of the stream is through, with the rest still coming.
        KafkaTopic.Read(harness.Kafka.BootstrapServers, BridgeHarness.Topic, r => r.Count >= 300, Patience);
        await bridge.KillAsync();
        await bridge.DisposeAsync();
        await Task.Delay(TimeSpan.FromSeconds(1)); // samples published meanwhile wait in the bridge's session

        await using var restarted = BridgeProcess.Start(options, httpPort);
        await WaitHealthyAsync(httpPort, restarted);
        await running;
        Assert.Equal(1500, simulator.Stats.Snapshot().Delivered);

        var records = KafkaTopic.Read(harness.Kafka.BootstrapServers, BridgeHarness.Topic,
            r => r.Select(x => BridgeTests.Sample(x).SampleId).Distinct().Count() >= 1500, Patience);
        Assert.Equal(1500, records.Select(r => BridgeTests.Sample(r).SampleId).Distinct().Count());
    }

    [Fact]
    public async Task Sigterm_stops_the_bridge_in_order_mid_stream_and_during_start_up_with_exit_0_and_nothing_lost()
    {
        var accounts = BridgeTests.Accounts(3, 1);
        await using var mosquitto = await BridgeTests.StartMosquittoWithAclAsync(accounts);
        await using var harness = BridgeHarness.Create();
        var options = harness.Options(mosquitto.Port, "wine-bridge", accounts[^1].Password);
        var httpPort = EmbeddedMqttBroker.FreeLoopbackPort();

        await using var first = BridgeProcess.Start(options, httpPort);
        await WaitHealthyAsync(httpPort, first);
        var simulator = BridgeTests.Simulator(mosquitto.Port, accounts, samples: 1200, rate: 300);
        var running = simulator.RunAsync(CancellationToken.None, CancellationToken.None);

        // Mid-stream, as a container stop does.
        KafkaTopic.Read(harness.Kafka.BootstrapServers, BridgeHarness.Topic, r => r.Count >= 300, Patience);
        Assert.True(await first.TerminateAsync(TimeSpan.FromSeconds(60)), "the bridge did not stop on SIGTERM: " + first.Output);
        Assert.True(first.ExitCode == 0, first.Output);
        Assert.DoesNotContain("Unhandled exception", first.Output);
        await first.DisposeAsync();

        // During start-up: stopped again before it is up, while samples keep coming into its session.
        await using var second = BridgeProcess.Start(options, httpPort);
        await Task.Delay(TimeSpan.FromMilliseconds(400));
        Assert.True(await second.TerminateAsync(TimeSpan.FromSeconds(60)), "the bridge did not stop on SIGTERM during start-up: " + second.Output);
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.DoesNotContain("Unhandled exception", second.Output);
        await second.DisposeAsync();

        await using var third = BridgeProcess.Start(options, httpPort);
        await WaitHealthyAsync(httpPort, third);
        await running;
        Assert.Equal(1200, simulator.Stats.Snapshot().Delivered);
        var records = KafkaTopic.Read(harness.Kafka.BootstrapServers, BridgeHarness.Topic,
            r => r.Select(x => BridgeTests.Sample(x).SampleId).Distinct().Count() >= 1200, Patience);
        Assert.Equal(1200, records.Select(r => BridgeTests.Sample(r).SampleId).Distinct().Count());
    }

    [Fact]
    public async Task A_new_bridge_on_the_same_buffer_waits_alive_until_the_old_one_stops_then_takes_over_and_nothing_is_lost()
    {
        // An Azure single-revision rollout: the new revision starts with the same login and buffer share while the old one runs.
        var accounts = BridgeTests.Accounts(2, 1);
        await using var mosquitto = await BridgeTests.StartMosquittoWithAclAsync(accounts);
        await using var harness = BridgeHarness.Create();
        var options = harness.Options(mosquitto.Port, "wine-bridge", accounts[^1].Password);
        var oldPort = EmbeddedMqttBroker.FreeLoopbackPort();
        var newPort = EmbeddedMqttBroker.FreeLoopbackPort();
        await using var old = BridgeProcess.Start(options, oldPort);
        await WaitHealthyAsync(oldPort, old);
        await using var replacement = BridgeProcess.Start(options, newPort);
        var simulator = BridgeTests.Simulator(mosquitto.Port, accounts, samples: 600, rate: 100);
        var running = simulator.RunAsync(CancellationToken.None, CancellationToken.None);

        // Meanwhile the new bridge passes its liveness probe (the rollout goes on) but takes neither the session nor the buffer.
        using var http = new HttpClient();
        async Task<BridgeStatus?> HealthAsync()
        {
            Assert.False(replacement.HasExited, replacement.Output);
            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{newPort}/health");
                var status = (await response.Content.ReadFromJsonAsync<BridgeStatus>())!;
                Assert.False(status.MqttConnected, "the new bridge took the session while the old one ran");
                Assert.True(response.IsSuccessStatusCode || !status.WaitingForBuffer, $"{response.StatusCode} while waiting: the liveness probe would fail");
                return status;
            }
            catch (HttpRequestException)
            {
                return null; // still starting
            }
        }
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await HealthAsync() is not { WaitingForBuffer: true })
        {
            Assert.True(DateTime.UtcNow < deadline, "the new bridge did not say within 30 s that it waits for the buffer: " + replacement.Output);
            await Task.Delay(100);
        }
        for (var until = DateTime.UtcNow.AddSeconds(3); DateTime.UtcNow < until; await Task.Delay(100))
        {
            Assert.True((await HealthAsync())?.WaitingForBuffer, "the new bridge stopped waiting while the old one ran");
        }

        Assert.True(await old.TerminateAsync(TimeSpan.FromSeconds(60)), "the old bridge did not stop on SIGTERM: " + old.Output);
        Assert.True(old.ExitCode == 0, old.Output);
        await WaitHealthyAsync(newPort, replacement);
        await running;
        Assert.Equal(600, simulator.Stats.Snapshot().Delivered);
        var records = KafkaTopic.Read(harness.Kafka.BootstrapServers, BridgeHarness.Topic,
            r => r.Select(x => BridgeTests.Sample(x).SampleId).Distinct().Count() >= 600, Patience);
        Assert.Equal(600, records.Select(r => BridgeTests.Sample(r).SampleId).Distinct().Count());
        Assert.Contains("Another bridge holds the disk buffer", replacement.Output);
    }

    [Fact]
    public async Task A_restart_with_a_full_disk_buffer_drains_it_in_order_before_new_samples()
    {
        await using var mosquitto = await MosquittoServer.StartAsync();
        await using var harness = BridgeHarness.Create();
        var options = harness.Options(mosquitto.Port, bufferBytes: 1 << 20);

        // What a previous run left: a buffer filled to its bound, all of one batch.
        var batch = "wh-01-batch-001";
        var buffered = 0;
        using (var buffer = DiskBuffer.TryOpen(options.Buffer.Directory, options.Buffer.MaxBytes, options.Buffer.SegmentBytes, NullLogger.Instance)!)
        {
            while (true)
            {
                var sample = SampleContractTests.Valid() with { SampleId = $"old-{buffered:D5}", BatchId = batch, WarehouseId = "wh-01", TakenAt = DateTimeOffset.UtcNow };
                var record = new BufferedRecord(BridgeHarness.Topic, batch, SampleJson.Serialize(sample), []);
                if (!buffer.HasRoomFor(record))
                {
                    break;
                }
                buffer.Append(record);
                buffered++;
            }
            buffer.Flush();
        }
        Assert.True(buffered > 1000);

        var httpPort = EmbeddedMqttBroker.FreeLoopbackPort();
        await using var bridge = BridgeProcess.Start(options, httpPort);
        await WaitHealthyAsync(httpPort, bridge);
        await using (var device = await MqttPublisher.ConnectAsync(mosquitto.Port, "wh-01-dev-1"))
        {
            for (var i = 0; i < 20; i++)
            {
                var sample = SampleContractTests.Valid() with { SampleId = $"new-{i:D5}", BatchId = batch, WarehouseId = "wh-01", TakenAt = DateTimeOffset.UtcNow };
                Assert.True((await device.PublishAsync(WarehouseTopics.Samples("wh-01"), SampleJson.Serialize(sample))).IsSuccess);
            }
        }

        var records = KafkaTopic.Read(harness.Kafka.BootstrapServers, BridgeHarness.Topic, r => r.Count >= buffered + 20, Patience);
        var inPartitionOrder = records.OrderBy(r => r.Offset.Value).Select(r => BridgeTests.Sample(r).SampleId).ToList();
        Assert.Single(records.Select(r => r.Partition.Value).Distinct());
        Assert.Equal(
            [.. Enumerable.Range(0, buffered).Select(i => $"old-{i:D5}"), .. Enumerable.Range(0, 20).Select(i => $"new-{i:D5}")],
            inPartitionOrder);
        Assert.Empty(Directory.GetFiles(options.Buffer.Directory, "*.seg"));
    }

    [Fact]
    public async Task The_bridge_published_for_linux_x64_finds_librdkafka_beside_it_and_forwards_samples()
    {
        // The container's layout: a linux-x64 publish puts native libraries beside the app, not under runtimes/.
        var work = Directory.CreateTempSubdirectory("wine-bridge-linux-x64-");
        var published = work.CreateSubdirectory("publish");
        try
        {
            // Its own artifacts path: the solution's obj folders, which other tests read, are left as they are.
            var publish = await Commands.RunAsync("dotnet", ["publish", Path.Combine(NodeServer.RepositoryRoot(), "functions", "ingest"),
                "-c", "Release", "-r", "linux-x64", "--self-contained", "false", "-o", published.FullName,
                "--artifacts-path", Path.Combine(work.FullName, "build"), "-nologo"], work.FullName, TimeSpan.FromMinutes(8));
            Assert.True(publish.ExitCode == 0, publish.Output);
            Assert.True(File.Exists(Path.Combine(published.FullName, "centos8-librdkafka.so")), "librdkafka beside the app");
            Assert.False(Directory.Exists(Path.Combine(published.FullName, "runtimes")), "no portable runtimes/ folder");
            Assert.False(Directory.Exists(Path.Combine(published.FullName, "librdkafka")), "no Windows libraries for .NET Framework");

            // As deployed: the login comes from the secret store, no client id is set, and the package's appsettings.json applies.
            List<MqttAccount> accounts = [.. BridgeTests.Accounts(1, 1).SkipLast(1), MqttAccount.Bridge("bridge-eu")];
            await using var mosquitto = await BridgeTests.StartMosquittoWithAclAsync(accounts);
            await using var harness = BridgeHarness.Create();
            var httpPort = EmbeddedMqttBroker.FreeLoopbackPort();
            var options = harness.Options(mosquitto.Port, "bridge-eu", accounts[^1].Password);
            await using var bridge = BridgeProcess.Start(options with { Mqtt = options.Mqtt with { ClientId = null } }, httpPort, folder: published.FullName);
            await WaitHealthyAsync(httpPort, bridge);
            var simulator = BridgeTests.Simulator(mosquitto.Port, accounts, samples: 50, rate: 200);
            await simulator.RunAsync(CancellationToken.None, CancellationToken.None);

            var records = KafkaTopic.Read(harness.Kafka.BootstrapServers, BridgeHarness.Topic,
                r => r.Select(x => BridgeTests.Sample(x).SampleId).Distinct().Count() >= 50, Patience);
            Assert.Equal(50, records.Select(r => BridgeTests.Sample(r).SampleId).Distinct().Count());
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_bridge_that_fails_while_running_exits_with_an_error_for_its_orchestrator_to_restart()
    {
        var accounts = BridgeTests.Accounts(1, 1);
        await using var mosquitto = await BridgeTests.StartMosquittoWithAclAsync(accounts);
        await using var harness = BridgeHarness.Create();
        var options = harness.Options(mosquitto.Port, "wine-bridge", accounts[^1].Password, bufferAfterSeconds: 1);
        // A disk buffer that cannot be written (as on a failing volume), and then Kafka down: the bridge must buffer and cannot.
        Directory.CreateDirectory(Path.Combine(options.Buffer.Directory, "000000000000.seg"));
        var httpPort = EmbeddedMqttBroker.FreeLoopbackPort();
        await using var bridge = BridgeProcess.Start(options, httpPort);
        await WaitHealthyAsync(httpPort, bridge);
        for (var broker = 1; broker <= 3; broker++)
        {
            harness.Kafka.SetBrokerDown(broker);
        }
        await BridgeTests.Simulator(mosquitto.Port, accounts, samples: 20, rate: 100).RunAsync(CancellationToken.None, CancellationToken.None);
        Assert.True(await bridge.WaitForExitAsync(TimeSpan.FromSeconds(60)), "the bridge went on with a buffer it cannot write: " + bridge.Output);
        Assert.True(bridge.ExitCode == 1, bridge.Output);
        Assert.Contains("disk buffer", bridge.Output);
        Assert.DoesNotContain("Unhandled exception", bridge.Output);
    }

    [Fact]
    public async Task A_bad_configuration_stops_the_bridge_at_start_naming_the_setting()
    {
        await using var harness = BridgeHarness.Create();
        var options = harness.Options(1883) with { Kafka = harness.Options(1883).Kafka with { BootstrapServers = "" } };
        await using var bridge = BridgeProcess.Start(options, EmbeddedMqttBroker.FreeLoopbackPort(),
            new Dictionary<string, string> { ["Bridge__Mqtt__Port"] = "70000" });
        Assert.True(await bridge.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the bridge must stop on a bad configuration");
        Assert.Equal(2, bridge.ExitCode);
        Assert.Contains("Bridge:Mqtt:Port must be 1-65535, not 70000", bridge.Output);
        Assert.Contains("Bridge:Kafka:BootstrapServers is required", bridge.Output);

        // The telemetry collector's address is a setting like any other.
        await using var traced = BridgeProcess.Start(harness.Options(1883), EmbeddedMqttBroker.FreeLoopbackPort(),
            new Dictionary<string, string> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "collector:4318" });
        Assert.True(await traced.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the bridge must stop on a bad collector address");
        Assert.Equal(2, traced.ExitCode);
        Assert.Contains("OTEL_EXPORTER_OTLP_ENDPOINT is 'collector:4318', not an absolute http(s) URL", traced.Output);
    }

    internal static async Task WaitHealthyAsync(int httpPort, BridgeProcess bridge)
    {
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(bridge.HasExited, "the bridge exited: " + bridge.Output);
            try
            {
                var response = await http.GetAsync($"http://127.0.0.1:{httpPort}/health");
                // A bridge waiting for another to let go of the buffer answers 200 too, but is not up yet.
                if (response.IsSuccessStatusCode && (await response.Content.ReadFromJsonAsync<BridgeStatus>())!.MqttConnected)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("the bridge did not report healthy within 30 s: " + bridge.Output);
    }
}
