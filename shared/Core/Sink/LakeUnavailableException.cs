using System.Net.Sockets;

namespace WineFunctions.Sink;

/// <summary>
/// The lake did not take a run (or its claim) after the store's own retries, for a reason that can
/// clear: unreachable, throttled, refused for now. Nothing is committed; the host waits and tries
/// again for as long as it lasts (the Functions host retries the batch, the consumer-group host
/// pauses its partitions), and never dead-letters samples for it.
/// </summary>
public sealed class LakeUnavailableException(string location, Exception inner)
    : Exception($"the lake at {location} is unavailable: {inner.GetBaseException().Message}", inner)
{
    /// <summary>Whether <paramref name="failure"/> is the store's (it can clear), not the run's (it never will).</summary>
    public static bool CanClear(Exception failure) => failure switch
    {
        IOException or HttpRequestException or TimeoutException or SocketException or UnauthorizedAccessException => true,
        Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException or Azure.RequestFailedException => true,
        OperationCanceledException => false,
        { InnerException: { } inner } => CanClear(inner),
        _ => false,
    };
}
