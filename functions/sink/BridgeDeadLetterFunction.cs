using Microsoft.Azure.Functions.Worker;
using WineFunctions.Sink;

namespace WineFunctions.Functions.Sink;

/// <summary>
/// The bridge's dead-letter topic in, one lake object per dead letter out (dead-letters/bridge/); the work is the
/// shared archive's. A consumer group of its own, so that its members never rebalance the samples' consumers.
/// </summary>
public sealed class BridgeDeadLetterFunction(BridgeDeadLetterArchive archive)
{
    [Function("BridgeDeadLetters")]
    [ExponentialBackoffRetry(-1, "00:00:01", "00:05:00")] // kept until stored, never skipped
    public Task RunAsync(
        [KafkaTrigger("%KafkaBrokerList%", "%SinkDeadLetterTopic%", ConsumerGroup = "%SinkDeadLetterConsumerGroup%",
            Protocol = BrokerProtocol.SaslSsl, AuthenticationMode = BrokerAuthenticationMode.Plain,
            Username = "%KafkaUsername%", Password = "%KafkaPassword%", IsBatched = true)] string[] events,
        CancellationToken cancellationToken) =>
        archive.WriteAsync(FunctionBatchSink.Parse(events), cancellationToken);
}
