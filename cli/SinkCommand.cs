using System.CommandLine;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WineFunctions.Hosting;
using WineFunctions.Lake;
using WineFunctions.Sink;

namespace WineFunctions.Cli;

/// <summary>
/// <c>wine sink</c>: the consumer-group sink on its own, for wherever the Functions host is absent
/// (a container, a VM): reads the samples topic into the lake until Ctrl-C or SIGTERM, then writes
/// what it holds and commits before it exits.
/// </summary>
internal static partial class SinkCommand
{
    public static Command Create()
    {
        var defaults = new SinkOptions();
        var servers = BootstrapServers();
        var topic = Topic("Topic of the samples.");
        var deadLetterTopic = new Option<string?>("--dead-letter-topic") { Description = "The bridge's dead-letter topic, kept under dead-letters/bridge/ (as the sink function's BridgeDeadLetters does); not read when not given." };
        var group = new Option<string>("--consumer-group") { Description = "Consumer group; sinks in one group share the partitions.", DefaultValueFactory = _ => defaults.ConsumerGroup };
        var format = new Option<SampleFormat>("--format") { Description = "Parquet or JsonLines.", DefaultValueFactory = _ => defaults.Format };
        var flushRecords = new Option<int>("--flush-records") { Description = "Write a partition's buffer at this many records…", DefaultValueFactory = _ => defaults.FlushRecords };
        var flushBytes = new Option<long>("--flush-bytes") { Description = "…or at this many bytes…", DefaultValueFactory = _ => defaults.FlushBytes };
        var flushInterval = new Option<TimeSpan>("--flush-interval") { Description = "…or this long after its first record, e.g. 00:00:30.", DefaultValueFactory = _ => defaults.FlushInterval };
        var maxBuffered = new Option<long>("--max-buffered-bytes") { Description = "Bytes held across all partitions at most.", DefaultValueFactory = _ => defaults.MaxBufferedBytes };
        var kafkaSettings = KafkaSettingOption();
        var verbose = new Option<bool>("--verbose") { Description = "Log what the sink does." };
        var lake = new LakeOptions();
        var command = new Command("sink", "Write the samples topic into the lake exactly once, as the sink function does, until Ctrl-C.")
        {
            servers, topic, deadLetterTopic, group, format, flushRecords, flushBytes, flushInterval, maxBuffered, kafkaSettings, verbose,
        };
        lake.AddTo(command, cache: false);
        command.SetAction(async (parse, cancellationToken) => await CliErrors.RunAsync(async () =>
        {
            var options = new SinkOptions
            {
                BootstrapServers = parse.GetValue(servers)!,
                Topic = parse.GetValue(topic)!,
                DeadLetterTopic = parse.GetValue(deadLetterTopic),
                ConsumerGroup = parse.GetValue(group)!,
                Format = parse.GetValue(format),
                FlushRecords = parse.GetValue(flushRecords),
                FlushBytes = parse.GetValue(flushBytes),
                FlushInterval = parse.GetValue(flushInterval),
                MaxBufferedBytes = parse.GetValue(maxBuffered),
                Settings = KafkaSettings(parse.GetValue(kafkaSettings) ?? []),
            };
            if (options.Problems() is { Count: > 0 } problems)
            {
                // The settings' names are the options' names here: Sink:FlushRecords is --flush-records.
                throw new CliUsageException(string.Join("; ", problems.Select(p => SettingName().Replace(p, m => "--" + Kebab(m.Groups[1].Value)))));
            }
            using var loggers = CliLogging.Create(parse.GetValue(verbose));
            var store = lake.Settings(parse, mustExist: false).Open();
            await using var services = ProcessServices.Build(TimeProvider.System, loggers, s => s.AddSingleton(store).AddKafkaSink(options));
            var sink = services.GetRequiredService<KafkaSinkHost>();
            var metrics = services.GetRequiredService<SinkMetrics>();
            // Plain lines, one per status, as a container's log wants them.
            Console.WriteLine($"sink reads {options.Topic} as {options.ConsumerGroup} from {options.BootstrapServers} into {store.Location} (Ctrl-C stops)");
            // Either host ending (a failure, or Ctrl-C) stops the other, so a container restarts instead of running half a sink.
            using var stopBoth = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Task[] hosts = options.DeadLetterTopic is null
                ? [sink.RunAsync(stopBoth.Token)]
                : [sink.RunAsync(stopBoth.Token), services.GetRequiredService<KafkaDeadLetterHost>().RunAsync(stopBoth.Token)];
            async Task RunAllAsync()
            {
                await Task.WhenAny(hosts);
                await stopBoth.CancelAsync();
                await Task.WhenAll(hosts);
            }
            var running = RunAllAsync();
            using var every = new PeriodicTimer(TimeSpan.FromSeconds(10));
            while (!running.IsCompleted)
            {
                await Task.WhenAny(running, every.WaitForNextTickAsync(CancellationToken.None).AsTask());
                Show(metrics.Counts);
            }
            await running; // a clean stop has written and committed what the sink held
            return 0;
        }, cancellationToken));
        command.Subcommands.Add(Replay());
        return command;
    }

    /// <summary><c>wine sink replay</c>: dead-lettered records whose run failed to store go back through the sink.</summary>
    private static Command Replay()
    {
        var servers = BootstrapServers();
        var topic = Topic("Topic of the samples, which the sink reads.");
        var kafkaSettings = KafkaSettingOption();
        var lake = new LakeOptions();
        var command = new Command("replay", "Put the sink's dead-lettered records whose run failed to store back on the samples topic; records refused for what they are stay.")
        {
            servers, topic, kafkaSettings,
        };
        lake.AddTo(command, cache: false);
        command.SetAction(async (parse, cancellationToken) => await CliErrors.RunAsync(async () =>
        {
            using var loggers = CliLogging.Create(verbose: false);
            var store = lake.Settings(parse).Open();
            var replay = new DeadLetterReplay(store, TimeProvider.System, loggers.CreateLogger<DeadLetterReplay>());
            var counts = await replay.RunAsync(parse.GetValue(servers)!, parse.GetValue(topic)!, KafkaSettings(parse.GetValue(kafkaSettings) ?? []), cancellationToken);
            Console.WriteLine($"replayed {counts.Records} records from {counts.Objects} dead-letter objects onto {parse.GetValue(topic)}; {counts.Kept} records refused for what they are stay in {DeadLetterReplay.Sink}");
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Option<string> BootstrapServers() =>
        new("--bootstrap-servers") { Description = "Kafka bootstrap servers, host:port[,host:port].", Required = true };

    private static Option<string> Topic(string description) => new("--topic") { Description = description, DefaultValueFactory = _ => new SinkOptions().Topic };

    private static Option<string[]> KafkaSettingOption() =>
        new("--kafka-setting") { Description = "Extra librdkafka setting name=value (security.protocol, sasl.*); repeatable.", AllowMultipleArgumentsPerToken = false };

    private static void Show(SinkCounts counts) => Console.WriteLine(
        $"{counts.Samples} samples stored in {counts.Objects} objects, {counts.Duplicates} duplicates dropped, {counts.DeadLetters} dead letters, {counts.BufferedRecords} buffered, {counts.Partitions} partitions owned");

    private static Dictionary<string, string> KafkaSettings(string[] pairs) => pairs.Select(pair => pair.Split('=', 2) is [var name, var value] && name.Length > 0
            ? (name, value)
            : throw new CliUsageException($"--kafka-setting {pair}: expected name=value"))
        .ToDictionary(p => p.name, p => p.value);

    private static string Kebab(string name) => string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));

    [GeneratedRegex(@"Sink:(\w+)")]
    private static partial Regex SettingName();
}
