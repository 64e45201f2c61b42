using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using WineFunctions.Hosting;
using WineFunctions.Mqtt;
using WineFunctions.Simulation;

namespace WineFunctions.Cli;

/// <summary>Writes a production mosquitto's access rules: a login per device and for the bridge, and an ACL per warehouse.</summary>
public static class BrokerConfigCommand
{
    public static Command Create()
    {
        var warehouses = CliOptions.Range("--warehouses", "Warehouses.", 3, 1, 999);
        var devices = CliOptions.Range("--devices-per-warehouse", "Scanning devices in each warehouse.", 2, 1, 999);
        var bridgeUser = new Option<string>("--bridge-user") { Description = "Login of the MQTT->Kafka bridge.", DefaultValueFactory = _ => "wine-bridge" };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for passwd, acl, mosquitto.conf and accounts.json.", Required = true };
        var command = new Command("broker-config", "Generate mosquitto's password and ACL files: each device may publish only to its own warehouse's topic.")
        {
            warehouses, devices, bridgeUser, output,
        };
        command.SetAction(async (parse, cancellationToken) => await CliErrors.RunAsync(async () =>
        {
            var folder = parse.GetValue(output)!.FullName;
            List<MqttAccount> accounts =
            [
                .. SimulatorOptions.PlanDevices(parse.GetValue(warehouses), parse.GetValue(devices), (_, _) => null)
                    .Select(d => MqttAccount.Device(d.WarehouseId, d.DeviceId)),
                MqttAccount.Bridge(parse.GetValue(bridgeUser)!),
            ];
            await MosquittoConfig.WriteAsync(folder, accounts, cancellationToken);
            // The clear-text logins, to provision devices and the bridge's secret store; keep this file private.
            var logins = Path.Combine(folder, "accounts.json");
            await PrivateFile.WriteAllBytesAsync(logins, JsonSerializer.SerializeToUtf8Bytes(accounts, CliJson.Default.ListMqttAccount), cancellationToken);
            AnsiConsole.MarkupLineInterpolated($"Wrote {accounts.Count} logins to {folder}: passwd, acl, mosquitto.conf (include it from the broker's configuration) and accounts.json (private).");
            return 0;
        }, cancellationToken));
        return command;
    }
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, UseStringEnumConverter = true)]
[System.Text.Json.Serialization.JsonSerializable(typeof(List<MqttAccount>))]
internal sealed partial class CliJson : System.Text.Json.Serialization.JsonSerializerContext;
