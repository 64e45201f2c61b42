using System.Diagnostics;
using WineFunctions.Mqtt;

namespace WineFunctions.Tests.Infrastructure;

/// <summary>A real mosquitto broker (Debian's package) on a free loopback port, for the life of a test.</summary>
public static class MosquittoServer
{
    public const string Executable = "/usr/sbin/mosquitto";

    /// <param name="extraConfig">More mosquitto.conf lines, e.g. password_file and acl_file; or a function of the broker's own folder.</param>
    public static Task<ServerProcess> StartAsync(string extraConfig = "allow_anonymous true") =>
        StartAsync(own => Task.FromResult($"persistence true\npersistence_location {own}/\nmax_queued_messages 100000\n{extraConfig}"));

    /// <summary>A broker whose whole configuration beyond the listener and logging is <paramref name="extraConfig"/>'s, given the broker's own folder.</summary>
    public static async Task<ServerProcess> StartAsync(Func<string, Task<string>> extraConfig)
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: install it with ./test.sh (apt-get install mosquitto)");
        }
        var folder = Directory.CreateTempSubdirectory("wine-mosquitto-");
        // Started as root, mosquitto drops to the mosquitto user, which must still reach its files.
        File.SetUnixFileMode(folder.FullName, (UnixFileMode)0b111_111_111);
        var port = EmbeddedMqttBroker.FreeLoopbackPort();
        var config = Path.Combine(folder.FullName, "mosquitto.conf");
        var extra = await extraConfig(folder.FullName);
        await File.WriteAllTextAsync(config, $"""
            listener {port} 127.0.0.1
            log_dest stderr
            log_type error
            log_type warning
            {extra}

            """);
        return await ServerProcess.StartAsync("mosquitto", new ProcessStartInfo(Executable, ["-c", config]), folder, port);
    }
}
