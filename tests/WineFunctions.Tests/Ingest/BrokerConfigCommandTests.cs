using WineFunctions.Tests.Infrastructure;
using WineFunctions.Tests.Stack;

namespace WineFunctions.Tests.Ingest;

public sealed class BrokerConfigCommandTests
{
    [Fact]
    public async Task Wine_broker_config_writes_the_logins_password_and_acl_files_owner_only()
    {
        var folder = Directory.CreateTempSubdirectory("wine-broker-config-");
        try
        {
            var (exitCode, output) = await WineUpTests.RunWineAsync(folder.FullName, "broker-config", "--out", "broker");
            Assert.True(exitCode == 0, output);
            foreach (var file in new[] { "passwd", "acl", "accounts.json" })
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder.FullName, "broker", file)));
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
