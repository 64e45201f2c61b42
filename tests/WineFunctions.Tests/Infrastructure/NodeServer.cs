using System.Diagnostics;
using WineFunctions.Mqtt;

namespace WineFunctions.Tests.Infrastructure;

/// <summary>
/// The storage emulators from npm (s3rver, azurite) that ./test.sh installs into .test-tools,
/// each started on a free loopback port with its own data folder.
/// </summary>
public static class NodeServer
{
    /// <summary>s3rver, with <paramref name="buckets"/> made at start (in the cloud Terraform makes the lake's bucket).</summary>
    public static Task<ServerProcess> StartS3rverAsync(params string[] buckets) =>
        StartAsync("s3rver", (data, port) => ["-d", data, "--port", port.ToString(), "--address", "127.0.0.1", "--silent",
            .. buckets.SelectMany(bucket => new[] { "--configure-bucket", bucket })]);

    public static Task<ServerProcess> StartAzuriteAsync() =>
        StartAsync("azurite-blob", (data, port) => ["--blobHost", "127.0.0.1", "--blobPort", port.ToString(), "--location", data, "--silent", "--skipApiVersionCheck", "--loose", "--disableTelemetry"]);

    private static Task<ServerProcess> StartAsync(string tool, Func<string, int, string[]> arguments)
    {
        var executable = Path.Combine(RepositoryRoot(), ".test-tools", "node_modules", ".bin", tool);
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"{executable} is missing: ./test.sh installs it (npm install --prefix .test-tools s3rver azurite)");
        }
        var data = Directory.CreateTempSubdirectory($"wine-{tool}-");
        var port = EmbeddedMqttBroker.FreeLoopbackPort();
        var start = new ProcessStartInfo(executable, arguments(data.FullName, port));
        // s3rver signs list continuation tokens with DES, which OpenSSL 3 refuses without this.
        start.Environment["NODE_OPTIONS"] = "--openssl-legacy-provider";
        return ServerProcess.StartAsync(tool, start, data, port);
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WineFunctions.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("WineFunctions.sln not found above " + AppContext.BaseDirectory);
    }
}
