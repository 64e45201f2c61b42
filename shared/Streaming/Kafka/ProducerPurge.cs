using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace WineFunctions.Kafka;

/// <summary>
/// librdkafka's <c>rd_kafka_purge</c> for a Confluent.Kafka producer: the .NET client does not expose it (the Go and
/// Python clients do), so it is called on the producer's native handle, in the librdkafka copy the client runs on.
/// </summary>
public static class ProducerPurge
{
    private const int Queue = 0x1; // RD_KAFKA_PURGE_F_QUEUE: records not sent yet; those sent wait for their answer

    private static readonly PropertyInfo? NativeHandle =
        typeof(Handle).GetProperty("LibrdkafkaHandle", BindingFlags.Instance | BindingFlags.NonPublic);

    /// <summary>
    /// Fails every record the producer has not sent yet with <see cref="ErrorCode.Local_PurgeQueue"/>, through its
    /// delivery handler, in the order they were produced. False when it cannot (another librdkafka copy, or a client
    /// version without the handle), and then nothing changes.
    /// </summary>
    public static unsafe bool PurgeUnsent(this IClient producer)
    {
        if (!LibRdKafka.SharedWithClients || NativeHandle?.GetValue(producer.Handle) is not SafeHandle handle)
        {
            return false;
        }
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var purge = (delegate* unmanaged<IntPtr, int, int>)LibRdKafka.Export("rd_kafka_purge");
            return purge(handle.DangerousGetHandle(), Queue) == 0;
        }
        catch (ObjectDisposedException)
        {
            return false; // the producer is gone, and its records with it
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }
}
