using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using WineFunctions.Ingest;
using WineFunctions.Mqtt;
using WineFunctions.Samples;
using WineFunctions.Simulation;
using WineFunctions.Tests.Infrastructure;
using WineFunctions.Tests.Samples;

namespace WineFunctions.Tests.Ingest;

[Collection(Collections.Librdkafka)]
public sealed class BridgeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    internal static List<MqttAccount> Accounts(int warehouses, int devices) =>
    [
        .. SimulatorOptions.PlanDevices(warehouses, devices, (_, _) => null).Select(d => MqttAccount.Device(d.WarehouseId, d.DeviceId)),
        MqttAccount.Bridge("wine-bridge"),
    ];

    /// <summary>mosquitto with the generated configuration (<c>wine broker-config</c>): logins, ACL, persistence and limits, its files in the broker's own folder.</summary>
    internal static Task<ServerProcess> StartMosquittoWithAclAsync(IReadOnlyList<MqttAccount> accounts) =>
        MosquittoServer.StartAsync(async own =>
        {
            var folder = Directory.CreateDirectory(Path.Combine(own, "broker")).FullName;
            await MosquittoConfig.WriteAsync(folder, accounts, CancellationToken.None, persistenceLocation: own);
            File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
            // The files are owner-only, as an operator deploys them: owned by the user mosquitto runs as.
            var (exitCode, output) = await Commands.RunAsync("chown", ["mosquitto:mosquitto", "passwd", "acl"], folder, TimeSpan.FromSeconds(30));
            Assert.True(exitCode == 0, output);
            return await File.ReadAllTextAsync(Path.Combine(folder, "mosquitto.conf"));
        });

    internal static DeviceSimulator Simulator(int port, IEnumerable<MqttAccount> accounts, long samples, double rate, double connectionLoss = 0) =>
        new(new SimulatorOptions
        {
            Host = "127.0.0.1",
            Port = port,
            Devices = accounts.Where(a => a.Role == MqttRole.Device).Select(a => new DeviceIdentity(a.WarehouseId!, a.Username, a.Username, a.Password)).ToList(),
            SamplesPerSecond = rate,
            Samples = samples,
            ConnectionLossProbability = connectionLoss,
        }, TimeProvider.System, NullLogger.Instance);

    internal static WineSample Sample(Confluent.Kafka.ConsumeResult<byte[]?, byte[]> record) =>
        SampleValidator.Validate(record.Message.Value, DateTimeOffset.UtcNow).Sample ?? throw new InvalidDataException("not a sample");

    [Fact]
    public async Task Samples_from_several_warehouses_arrive_in_Kafka_exactly_once_keyed_and_in_order()
    {
        var accounts = Accounts(3, 2);
        await using var mosquitto = await StartMosquittoWithAclAsync(accounts);
        await using var harness = BridgeHarness.Create();
        harness.Start(harness.Options(mosquitto.Port, "wine-bridge", accounts[^1].Password));
        await harness.WaitUntilConnectedAsync();

        var simulator = Simulator(mosquitto.Port, accounts, samples: 600, rate: 600);
        await simulator.RunAsync(CancellationToken.None, CancellationToken.None);
        Assert.Equal(600, simulator.Stats.Snapshot().Delivered);

        var records = KafkaTopic.Read(harness.Kafka.BootstrapServers, BridgeHarness.Topic, r => r.Count >= 600, Patience);
        var samples = records.Select(r => (Record: r, Sample: Sample(r))).ToList();
        Assert.Equal(600, samples.Count);
        Assert.Equal(600, samples.Select(s => s.Sample.SampleId).Distinct().Count());
        foreach (var (record, sample) in samples)
        {
            Assert.Equal(sample.BatchId, Encoding.UTF8.GetString(record.Message.Key!));
            Assert.Equal(sample.WarehouseId, record.Header(BridgeHeaders.Warehouse));
            Assert.Equal("1", record.Header(BridgeHeaders.Schema));
            Assert.Equal(WarehouseTopics.Samples(sample.WarehouseId), record.Header(BridgeHeaders.MqttTopic));
        }
        // A batch lives in one partition, and what one device sent of it stays in the order it was taken.
        foreach (var batch in samples.GroupBy(s => s.Sample.BatchId))
        {
            Assert.Single(batch.Select(s => s.Record.Partition.Value).Distinct());
            foreach (var device in batch.GroupBy(s => s.Sample.DeviceId))
            {
                var taken = device.OrderBy(s => s.Record.Offset.Value).Select(s => s.Sample.TakenAt).ToList();
                Assert.Equal(taken.Order(), taken);
            }
        }
        Assert.Empty(KafkaTopic.Read(harness.Kafka.BootstrapServers, BridgeHarness.DeadLetters, _ => false, TimeSpan.FromSeconds(1)));
        var counts = harness.Metrics.Counts;
        Assert.Equal(600, counts.Received);
        Assert.Equal(600, counts.Forwarded);
    }

    [Fact]
    public async Task Malformed_foreign_and_oversized_payloads_go_to_the_dead_letter_topic_and_the_samples_around_them_arrive()
    {
        await using var mosquitto = await MosquittoServer.StartAsync();
        await using var harness = BridgeHarness.Create();
        harness.Start(harness.Options(mosquitto.Port));
        await harness.WaitUntilConnectedAsync();
        await using var device = await MqttPublisher.ConnectAsync(mosquitto.Port, "wh-01-dev-1");

        var topic = WarehouseTopics.Samples("wh-01");
        WineSample Valid(int i) => SampleContractTests.Valid() with { SampleId = $"good-{i}", WarehouseId = "wh-01", TakenAt = DateTimeOffset.UtcNow };
        var bad = new (byte[] Payload, RejectionCode Code)[]
        {
            ("{\"sampleId\": \"broken"u8.ToArray(), RejectionCode.MalformedJson),
            (SampleJson.Serialize(Valid(100) with { WarehouseId = "wh-02" }), RejectionCode.ForeignWarehouse),
            (Encoding.UTF8.GetBytes(new string('x', 100_000)), RejectionCode.PayloadTooLarge),
            (Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(SampleJson.Serialize(Valid(101))).Replace("\"alcohol\":9.4", "\"alcohol\":\"NaN\"")), RejectionCode.NotFinite),
            (new byte[2_000_000], RejectionCode.PayloadTooLarge),
        };
        for (var i = 0; i < bad.Length; i++)
        {
            Assert.True((await device.PublishAsync(topic, SampleJson.Serialize(Valid(i)))).IsSuccess);
            Assert.True((await device.PublishAsync(topic, bad[i].Payload)).IsSuccess);
        }
        Assert.True((await device.PublishAsync(topic, SampleJson.Serialize(Valid(bad.Length)))).IsSuccess);

        var samples = KafkaTopic.Read(harness.Kafka.BootstrapServers, BridgeHarness.Topic, r => r.Count >= 6, Patience);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"good-{i}").Order(), samples.Select(r => Sample(r).SampleId).Order());

        var deadLetters = KafkaTopic.Read(harness.Kafka.BootstrapServers, BridgeHarness.DeadLetters, r => r.Count >= bad.Length, Patience)
            .OrderBy(r => r.Offset.Value).ToList();
        Assert.Equal(bad.Length, deadLetters.Count);
        for (var i = 0; i < bad.Length; i++)
        {
            var letter = deadLetters[i];
            var reasons = JsonSerializer.Deserialize<List<SampleRejection>>(letter.Message.Headers.GetLastBytes(BridgeHeaders.Reasons),
                new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } })!;
            Assert.Contains(reasons, r => r.Code == bad[i].Code);
            Assert.Equal(topic, letter.Header(BridgeHeaders.MqttTopic));
            Assert.Equal(bad[i].Payload.Length.ToString(), letter.Header(BridgeHeaders.OriginalSize));
            var kept = Math.Min(bad[i].Payload.Length, SampleRouting.MaxDeadLetterBytes);
            Assert.Equal(bad[i].Payload[..kept], letter.Message.Value);
        }
        Assert.Equal(bad.Length, harness.Metrics.Counts.DeadLettered);
    }

    [Fact]
    public async Task When_the_Kafka_brokers_go_down_the_bridge_buffers_on_disk_and_delivers_everything_after()
    {
        var accounts = Accounts(2, 2);
        await using var mosquitto = await StartMosquittoWithAclAsync(accounts);
        await using var harness = BridgeHarness.Create();
        harness.Start(harness.Options(mosquitto.Port, "wine-bridge", accounts[^1].Password, bufferAfterSeconds: 2));
        await harness.WaitUntilConnectedAsync();

        var simulator = Simulator(mosquitto.Port, accounts, samples: 600, rate: 100);
        var running = simulator.RunAsync(CancellationToken.None, CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(1));
        for (var broker = 1; broker <= 3; broker++)
        {
            harness.Kafka.SetBrokerDown(broker);
        }
        await Task.Delay(TimeSpan.FromSeconds(6));
        Assert.True(harness.Bridge!.Status.Buffering, "with every broker down the bridge must be buffering");
        for (var broker = 1; broker <= 3; broker++)
        {
            harness.Kafka.SetBrokerUp(broker);
        }
        await running;

        var records = KafkaTopic.Read(harness.Kafka.BootstrapServers, BridgeHarness.Topic,
            r => r.Select(x => Sample(x).SampleId).Distinct().Count() >= 600, Patience);
        Assert.Equal(600, records.Select(r => Sample(r).SampleId).Distinct().Count());
        Assert.True(harness.Metrics.Counts.Buffered > 0);
    }

    [Fact]
    public async Task A_batch_stays_in_order_in_Kafka_across_the_ends_of_Kafka_outages()
    {
        await using var mosquitto = await MosquittoServer.StartAsync();
        await using var harness = BridgeHarness.Create();
        harness.Start(harness.Options(mosquitto.Port, bufferAfterSeconds: 4));
        await harness.WaitUntilConnectedAsync();
        await using var device = await MqttPublisher.ConnectAsync(mosquitto.Port, "wh-01-dev-1");
        var topic = WarehouseTopics.Samples("wh-01");
        var firstTaken = DateTimeOffset.UtcNow;
        var published = 0;
        async Task PublishAsync(int count)
        {
            for (var i = 0; i < count; i++, published++)
            {
                var sample = SampleContractTests.Valid() with
                {
                    SampleId = $"s-{published:D4}", BatchId = "wh-01-batch-001", WarehouseId = "wh-01", TakenAt = firstTaken.AddMilliseconds(published),
                };
                Assert.True((await device.PublishAsync(topic, SampleJson.Serialize(sample))).IsSuccess);
                await Task.Delay(50);
            }
        }

        // Each outage ends just after the first record waiting for Kafka has gone to the disk buffer, while later ones
        // of the same batch still wait in the producer.
        await PublishAsync(10);
        for (var outage = 0; outage < 3; outage++)
        {
            var buffered = harness.Metrics.Counts.Buffered;
            for (var broker = 1; broker <= 3; broker++)
            {
                harness.Kafka.SetBrokerDown(broker);
            }
            while (harness.Metrics.Counts.Buffered == buffered)
            {
                await PublishAsync(1);
            }
            for (var broker = 1; broker <= 3; broker++)
            {
                harness.Kafka.SetBrokerUp(broker);
            }
            await PublishAsync(30);
        }

        var records = KafkaTopic.Read(harness.Kafka.BootstrapServers, BridgeHarness.Topic,
            r => r.Select(x => Sample(x).SampleId).Distinct().Count() >= published, Patience);
        var arrived = records.OrderBy(r => r.Offset.Value).Select(r => Sample(r).SampleId).Distinct().ToList();
        Assert.Equal(published, arrived.Count);
        Assert.Single(records.Select(r => r.Partition.Value).Distinct());
        // A duplicate may follow; no sample may overtake one taken before it.
        Assert.True(arrived.Order(StringComparer.Ordinal).SequenceEqual(arrived), "in Kafka: " + string.Join(" ", records.OrderBy(r => r.Offset.Value).Select(r => Sample(r).SampleId[2..])));
    }

    [Fact]
    public async Task After_a_fatal_Kafka_producer_error_the_bridge_replaces_its_producer_and_delivers_everything()
    {
        var accounts = Accounts(1, 1);
        await using var mosquitto = await StartMosquittoWithAclAsync(accounts);
        await using var harness = BridgeHarness.Create();
        harness.Start(harness.Options(mosquitto.Port, "wine-bridge", accounts[^1].Password, bufferAfterSeconds: 2));
        await harness.WaitUntilConnectedAsync();
        await Simulator(mosquitto.Port, accounts, samples: 10, rate: 100).RunAsync(CancellationToken.None, CancellationToken.None);
        KafkaTopic.Read(harness.Kafka.BootstrapServers, BridgeHarness.Topic, r => r.Count >= 10, Patience);

        // A broker that answers "out of order sequence number" has lost records the idempotent producer sent:
        // librdkafka's producer then fails for good and refuses every record after.
        harness.Kafka.FailNextRequests(0 /* Produce */, Confluent.Kafka.ErrorCode.OutOfOrderSequenceNumber);
        await Simulator(mosquitto.Port, accounts, samples: 100, rate: 100).RunAsync(CancellationToken.None, CancellationToken.None);

        var records = KafkaTopic.Read(harness.Kafka.BootstrapServers, BridgeHarness.Topic,
            r => r.Select(x => Sample(x).SampleId).Distinct().Count() >= 110, Patience);
        Assert.True(records.Select(r => Sample(r).SampleId).Distinct().Count() == 110,
            $"{records.Select(r => Sample(r).SampleId).Distinct().Count()} of 110 in Kafka; {harness.Bridge!.Status}");
        Assert.Equal(1, harness.Metrics.Counts.ProducersReplaced);
    }

    [Fact]
    public async Task A_disk_buffer_that_cannot_be_written_stops_the_bridge_with_the_error_and_a_restart_delivers_everything()
    {
        var accounts = Accounts(1, 1);
        await using var mosquitto = await StartMosquittoWithAclAsync(accounts);
        await using var harness = BridgeHarness.Create();
        var options = harness.Options(mosquitto.Port, "wine-bridge", accounts[^1].Password, bufferAfterSeconds: 1);
        harness.Start(options);
        await harness.WaitUntilConnectedAsync();

        // The buffer's first segment cannot be created, as on a failing volume; then Kafka goes down.
        var blocked = Directory.CreateDirectory(Path.Combine(options.Buffer.Directory, "000000000000.seg"));
        for (var broker = 1; broker <= 3; broker++)
        {
            harness.Kafka.SetBrokerDown(broker);
        }
        await Simulator(mosquitto.Port, accounts, samples: 50, rate: 100).RunAsync(CancellationToken.None, CancellationToken.None);
        var running = harness.Running!;
        Assert.True(await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(60))) == running, "the bridge went on with a buffer it cannot write");
        var error = await Assert.ThrowsAsync<IOException>(() => running);
        Assert.Contains("disk buffer", error.Message);

        // Once the volume is fixed, the restarted bridge gets everything from the broker: nothing was acknowledged unsafely.
        blocked.Delete();
        for (var broker = 1; broker <= 3; broker++)
        {
            harness.Kafka.SetBrokerUp(broker);
        }
        harness.Start(options);
        var records = KafkaTopic.Read(harness.Kafka.BootstrapServers, BridgeHarness.Topic,
            r => r.Select(x => Sample(x).SampleId).Distinct().Count() >= 50, Patience);
        Assert.Equal(50, records.Select(r => Sample(r).SampleId).Distinct().Count());
    }

    [Fact]
    public async Task A_full_disk_buffer_stops_acknowledging_so_the_broker_holds_the_rest_and_nothing_is_lost()
    {
        var accounts = Accounts(1, 2);
        await using var mosquitto = await StartMosquittoWithAclAsync(accounts);
        await using var harness = BridgeHarness.Create();
        var options = harness.Options(mosquitto.Port, "wine-bridge", accounts[^1].Password, bufferAfterSeconds: 1, bufferBytes: 1 << 20);
        harness.Start(options with { Mqtt = options.Mqtt with { ReceiveMaximum = 100 } });
        await harness.WaitUntilConnectedAsync();
        for (var broker = 1; broker <= 3; broker++)
        {
            harness.Kafka.SetBrokerDown(broker);
        }

        // About 2.5 MiB of samples against a 1 MiB buffer.
        var simulator = Simulator(mosquitto.Port, accounts, samples: 4_000, rate: 2_000);
        await simulator.RunAsync(CancellationToken.None, CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var held = harness.Bridge!.Status;
        Assert.True(held.Buffering);
        Assert.InRange(held.Counts.Received, 1, 3_999); // the broker keeps what the bridge would not take
        Assert.InRange(Directory.GetFiles(options.Buffer.Directory, "*.seg").Sum(f => new FileInfo(f).Length), 1, (1 << 20) + 100 * 1024);

        for (var broker = 1; broker <= 3; broker++)
        {
            harness.Kafka.SetBrokerUp(broker);
        }
        var records = KafkaTopic.Read(harness.Kafka.BootstrapServers, BridgeHarness.Topic,
            r => r.Select(x => Sample(x).SampleId).Distinct().Count() >= 4_000, Patience);
        Assert.Equal(4_000, records.Select(r => Sample(r).SampleId).Distinct().Count());
    }
}
