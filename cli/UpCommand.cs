using System.CommandLine;
using Spectre.Console;
using WineFunctions.Data;
using WineFunctions.Hosting;
using WineFunctions.Lake;
using WineFunctions.Stack;
using WineFunctions.Zones;

namespace WineFunctions.Cli;

public static class UpCommand
{
    public static Command Create()
    {
        var samples = CliOptions.Samples("Stop once this many samples are delivered (default: run until Ctrl-C or --duration).");
        var duration = new Option<TimeSpan?>("--duration") { Description = "Stop after this long, e.g. 00:01:00." };
        var warehouses = CliOptions.Range("--warehouses", "Simulated warehouses.", 3, 1, 99);
        var devices = CliOptions.Range("--devices-per-warehouse", "Scanning devices in each warehouse.", 2, 1, 50);
        var rate = CliOptions.Rate();
        var lake = new Option<DirectoryInfo>("--lake") { Description = "Folder for the data lake.", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine(".wine", "lake")) };
        var noSimulator = new Option<bool>("--no-simulator") { Description = "Start the stack without simulated devices." };
        var endpointsFile = new Option<FileInfo?>("--endpoints-file") { Description = "Write the stack's addresses as JSON here once everything listens." };
        var mqttPort = new Option<int?>("--mqtt-port") { Description = "Port of the embedded MQTT broker (default 1883 when free; 0 picks a free one)." };
        mqttPort.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 0 or > 65535)
            {
                r.AddError("--mqtt-port must be between 0 and 65535.");
            }
        });
        var ratingsPort = new Option<int?>("--ratings-port") { Description = "Port of the ratings API and page (default 5080 when free; 0 picks a free one)." };
        ratingsPort.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 0 or > 65535)
            {
                r.AddError("--ratings-port must be between 0 and 65535.");
            }
        });
        var connectionLoss = CliOptions.ConnectionLoss();
        var seed = new Option<int>("--seed") { Description = "Seed of the simulated warehouses.", DefaultValueFactory = _ => 2009 };
        var verbose = new Option<bool>("--verbose") { Description = "Log what the stack does." };
        var noSeedModel = new Option<bool>("--no-seed-model") { Description = "Start without a model when the registry has none (by default the first one is trained on the shipped UCI data)." };
        var zones = ZonesOption.Create();
        var enforceGrants = new Option<bool>("--enforce-grants")
        {
            Description = "Let each function touch the lake only as its cloud grant does (shared/Core/Zones/LakeGrant.cs), and report the grants used, unused and refused.",
        };

        var otlp = new Option<string?>("--otlp")
        {
            Description = "Send the stack's traces and metrics to this OpenTelemetry collector (OTLP over HTTP/protobuf), e.g. http://127.0.0.1:4318.",
        };
        otlp.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } text && ConfigurationValues.HttpUrl(text) is null)
            {
                r.AddError("--otlp must be an http or https address of an OpenTelemetry collector, e.g. http://127.0.0.1:4318.");
            }
        });

        var command = new Command("up", "Run the local stack on embedded defaults: MQTT broker, Kafka cluster, lake folder and simulated warehouses.")
        {
            samples, duration, warehouses, devices, rate, lake, noSimulator, endpointsFile, mqttPort, ratingsPort, connectionLoss, seed, verbose, zones, noSeedModel, enforceGrants,
            otlp,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new LocalStackOptions
            {
                Samples = parse.GetValue(samples),
                Duration = parse.GetValue(duration),
                Warehouses = parse.GetValue(warehouses),
                DevicesPerWarehouse = parse.GetValue(devices),
                SamplesPerSecond = parse.GetValue(rate),
                LakeDirectory = parse.GetValue(lake)!.FullName,
                RunSimulator = !parse.GetValue(noSimulator),
                EndpointsFile = parse.GetValue(endpointsFile)?.FullName,
                MqttPort = parse.GetValue(mqttPort),
                RatingsPort = parse.GetValue(ratingsPort),
                ConnectionLossProbability = parse.GetValue(connectionLoss),
                Seed = parse.GetValue(seed),
                Zones = ZonesOption.Value(parse, zones),
                EnforcedGrants = parse.GetValue(enforceGrants) ? new LakeGrantUsage() : null,
            };
            var collector = parse.GetValue(otlp) is { } url ? new Uri(url) : null;
            using var loggers = CliLogging.Create(parse.GetValue(verbose), collector);
            using var telemetry = collector is null ? null : CollectorExport.Start(collector);
            var view = new ProgressView();
            var stack = new LocalStack(options, TimeProvider.System, loggers);
            var startedAt = TimeProvider.System.GetUtcNow();
            return await CliErrors.RunAsync(async () =>
            {
                if (!parse.GetValue(noSeedModel))
                {
                    await SeedModelAsync(options.LakeDirectory, cancellationToken);
                }
                var summary = await view.LiveAsync(() => stack.RunAsync(
                    endpoints =>
                    {
                        AnsiConsole.MarkupLineInterpolated(
                            $"[green]up[/]: MQTT 127.0.0.1:{endpoints.MqttPort}, Kafka {endpoints.KafkaBootstrapServers}, lake {endpoints.Lake}");
                        RatingsApiView.Print(endpoints.RatingsApi);
                    },
                    view.Update, cancellationToken));
                AnsiConsole.Write(ProgressView.Table(summary));
                var delivered = summary.Simulator?.Delivered ?? 0;
                AnsiConsole.MarkupLineInterpolated($"Stopped after {summary.Elapsed.TotalSeconds:0.0} s: {delivered} samples delivered, {summary.Simulator?.Queued ?? 0} still queued on devices, {summary.Bridge?.Counts.Forwarded ?? 0} forwarded to Kafka, {summary.Sink?.Samples ?? 0} stored in the lake.");
                await ZonesOption.ReportAsync(options, startedAt, cancellationToken);
                return options.EnforcedGrants is { } grants ? GrantsReport.Print(grants) : 0;
            }, cancellationToken);
        });
        return command;
    }

    /// <summary>A lake without a champion gets one trained on the shipped UCI data, so the first run shows every flow.</summary>
    private static async Task SeedModelAsync(string lakeDirectory, CancellationToken cancellationToken)
    {
        var data = ReferenceData.FindWineQualityFolder();
        if (data is null)
        {
            AnsiConsole.MarkupLine("[yellow]model[/]: no champion and no UCI data (data/wine-quality) to train one on: samples wait for a model until `wine upload` trains one");
            return;
        }
        Directory.CreateDirectory(lakeDirectory);
        if (await ChampionSeed.PlantAsync(new FolderObjectStore(lakeDirectory), data, cancellationToken) is { } upload)
        {
            AnsiConsole.MarkupLineInterpolated(
                $"[green]model[/]: the registry has no champion, so the first one is trained on the UCI Wine Quality data (Cortez et al. 2009, CC BY 4.0) from {data}, uploaded as {upload} (--no-seed-model skips this)");
        }
    }
}
