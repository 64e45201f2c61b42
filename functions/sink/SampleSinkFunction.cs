using Microsoft.Azure.Functions.Worker;
using WineFunctions.Sink;

namespace WineFunctions.Functions.Sink;

/// <summary>Kafka batches of samples in, lake objects out; the work is the shared sink's.</summary>
public sealed class SampleSinkFunction(FunctionBatchSink sink)
{
    [Function("SampleSink")]
    [ExponentialBackoffRetry(-1, "00:00:01", "00:05:00")] // a batch is retried until stored, never skipped
    public Task RunAsync(
        [KafkaTrigger("%KafkaBrokerList%", "%SinkTopic%", ConsumerGroup = "%SinkConsumerGroup%",
            Protocol = BrokerProtocol.SaslSsl, AuthenticationMode = BrokerAuthenticationMode.Plain,
            Username = "%KafkaUsername%", Password = "%KafkaPassword%", IsBatched = true)] string[] events,
        CancellationToken cancellationToken) =>
        sink.WriteAsync(FunctionBatchSink.Parse(events), cancellationToken);
}
