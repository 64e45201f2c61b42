namespace WineFunctions.Tests.Infrastructure;

/// <summary>
/// Tests that run librdkafka (the mock cluster, clients, the local stack) run one at a time,
/// so that counting librdkafka's threads means something.
/// </summary>
[CollectionDefinition(Librdkafka, DisableParallelization = true)]
public sealed class Collections
{
    public const string Librdkafka = "librdkafka";
}

/// <summary>Browser tests run one Chromium at a time: several at once only compete for the cores.</summary>
[CollectionDefinition(Browser)]
public sealed class BrowserCollection
{
    public const string Browser = "browser";
}
