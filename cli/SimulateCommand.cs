using System.CommandLine;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using WineFunctions.Data;
using WineFunctions.Mqtt;
using WineFunctions.Simulation;
using WineFunctions.Stack;

namespace WineFunctions.Cli;

public static class SimulateCommand
{
    public static Command Create()
    {
        var host = new Option<string>("--host") { Description = "MQTT broker host.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = CliOptions.Range("--port", "MQTT broker port.", 1883, 1, 65535);
        var tls = new Option<bool>("--tls") { Description = "Connect with TLS." };
        var insecure = new Option<bool>("--insecure") { Description = "With --tls, accept a certificate the machine does not trust (development only)." };
        var username = new Option<string?>("--username") { Description = "Login shared by every device (a real site gives each device its own: use --endpoints-file)." };
        var password = new Option<string?>("--password") { Description = "Password for --username." };
        var endpointsFile = new Option<FileInfo?>("--endpoints-file") { Description = "Join a running `wine up`: broker address and each device's login from its endpoints file." };
        var warehouses = CliOptions.Range("--warehouses", "Simulated warehouses.", 3, 1, 99);
        var devices = CliOptions.Range("--devices-per-warehouse", "Scanning devices in each warehouse.", 2, 1, 50);
        var rate = CliOptions.Rate();
        var samples = CliOptions.Samples("Stop once this many samples are delivered (default: run until Ctrl-C or --duration).");
        var duration = new Option<TimeSpan?>("--duration") { Description = "Stop after this long, e.g. 00:01:00." };
        var connectionLoss = CliOptions.ConnectionLoss();
        var queue = CliOptions.Range("--device-queue", "Unsent samples each device can hold.", 1_000, 1, 1_000_000);
        var seed = new Option<int>("--seed") { Description = "Seed of the simulated warehouses.", DefaultValueFactory = _ => 2009 };
        var verbose = new Option<bool>("--verbose") { Description = "Log what the devices do." };

        var command = new Command("simulate", "Run the warehouse device simulator against any MQTT broker.")
        {
            host, port, tls, insecure, username, password, endpointsFile, warehouses, devices, rate, samples, duration, connectionLoss, queue, seed, verbose,
        };
        command.Subcommands.Add(Fit());
        command.SetAction(async (parse, cancellationToken) => await CliErrors.RunAsync(async () =>
        {
            var (brokerHost, brokerPort, identities) = parse.GetValue(endpointsFile) is { } file
                ? await FromEndpointsAsync(file.FullName, cancellationToken)
                : (parse.GetValue(host)!, parse.GetValue(port), SimulatorOptions.PlanDevices(parse.GetValue(warehouses), parse.GetValue(devices),
                    (_, _) => parse.GetValue(username) is { } user ? (user, parse.GetValue(password) ?? "") : null));
            var options = new SimulatorOptions
            {
                Host = brokerHost,
                Port = brokerPort,
                UseTls = parse.GetValue(tls),
                AllowUntrustedCertificates = parse.GetValue(insecure),
                Devices = identities,
                SamplesPerSecond = parse.GetValue(rate),
                Samples = parse.GetValue(samples),
                ConnectionLossProbability = parse.GetValue(connectionLoss),
                DeviceQueueCapacity = parse.GetValue(queue),
                Seed = parse.GetValue(seed),
            };
            using var loggers = CliLogging.Create(parse.GetValue(verbose));
            var simulator = new DeviceSimulator(options, TimeProvider.System, loggers.CreateLogger<DeviceSimulator>());
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (parse.GetValue(duration) is { } limit)
            {
                stop.CancelAfter(limit);
            }
            var view = new ProgressView();
            var started = TimeProvider.System.GetTimestamp();
            StackProgress Progress() => new(TimeProvider.System.GetElapsedTime(started), simulator.Stats.Snapshot(), new Dictionary<string, long>(), 0, null, null);
            using var reporting = TimeProvider.System.CreateTimer(_ => view.Update(Progress()), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(250));
            await view.LiveAsync(async () =>
            {
                await simulator.RunAsync(stop.Token, stop.Token);
                return 0;
            });
            var summary = Progress();
            AnsiConsole.Write(ProgressView.Table(summary));
            return 0;
        }, cancellationToken));
        return command;
    }

    private static async Task<(string, int, IReadOnlyList<DeviceIdentity>)> FromEndpointsAsync(string file, CancellationToken cancellationToken)
    {
        var endpoints = await StackEndpoints.ReadAsync(file, cancellationToken);
        var devices = endpoints.MqttAccounts.Where(a => a.Role == MqttRole.Device)
            .Select(a => new DeviceIdentity(a.WarehouseId!, a.Username, a.Username, a.Password)).ToList();
        return (endpoints.MqttHost, endpoints.MqttPort, devices);
    }

    private static Command Fit()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "Folder with the UCI winequality-red.csv and winequality-white.csv.", Required = true };
        var output = new Option<FileInfo?>("--out") { Description = "Write the C# figures here instead of standard output." };
        var command = new Command("fit", "Fit the simulator's generative model to the UCI data and print it as C# figures.") { data, output };
        command.SetAction(async (parse, cancellationToken) => await CliErrors.RunAsync(async () =>
        {
            var model = SampleModelFit.Fit(UciWineQuality.ReadFolder(parse.GetValue(data)!.FullName));
            var code = SampleModelFit.ToCSharp(model);
            if (parse.GetValue(output) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, code, cancellationToken);
            }
            else
            {
                Console.Out.Write(code);
            }
            return 0;
        }, cancellationToken));
        return command;
    }
}
