using System.Runtime.InteropServices;
using System.Text;
using Confluent.Kafka;

namespace WineFunctions.Kafka;

/// <summary>
/// An in-process Kafka cluster: librdkafka's built-in mock brokers, driven through P/Invoke.
/// Real Kafka protocol on random loopback ports; no CreateTopics API (topics are made here),
/// no transactional isolation, and only a few MiB retained per partition.
/// </summary>
public sealed unsafe class KafkaMockCluster : IDisposable
{
    private const int ProducerType = 0;
    private readonly IntPtr _owner;
    private IntPtr _cluster;

    private KafkaMockCluster(IntPtr owner, IntPtr cluster, int brokers)
    {
        _owner = owner;
        _cluster = cluster;
        Brokers = brokers;
        BootstrapServers = Marshal.PtrToStringUTF8(Native.Bootstraps(cluster))!;
    }

    /// <summary>Comma-separated host:port of every broker, for <c>bootstrap.servers</c>.</summary>
    public string BootstrapServers { get; }

    public int Brokers { get; }

    public static KafkaMockCluster Start(int brokers = 3)
    {
        var error = new byte[512];
        var conf = Native.ConfNew();
        Set(conf, "client.id", "wine-kafka-mock", error);
        Set(conf, "log_level", "3"); // the owner handle has no bootstrap servers and would warn about it
        IntPtr owner;
        fixed (byte* e = error)
        {
            owner = Native.New(ProducerType, conf, e, (nuint)error.Length);
        }
        if (owner == IntPtr.Zero)
        {
            Native.ConfDestroy(conf);
            throw new InvalidOperationException($"rd_kafka_new failed: {Text(error)}");
        }
        var cluster = Native.ClusterNew(owner, brokers);
        if (cluster == IntPtr.Zero)
        {
            Native.Destroy(owner);
            throw new InvalidOperationException("rd_kafka_mock_cluster_new failed");
        }
        Native.SetControllerId(cluster, 1);
        return new KafkaMockCluster(owner, cluster, brokers);
    }

    public void CreateTopic(string topic, int partitions, int replicationFactor = 1) =>
        Check(WithUtf8(topic, t => Native.TopicCreate(_cluster, t, partitions, replicationFactor)), $"create topic {topic}");

    /// <summary>Takes a broker (1-based id) off the network: connections close and new ones are refused.</summary>
    public void SetBrokerDown(int brokerId) => Check(Native.BrokerSetDown(_cluster, brokerId), $"broker {brokerId} down");

    public void SetBrokerUp(int brokerId) => Check(Native.BrokerSetUp(_cluster, brokerId), $"broker {brokerId} up");

    public void SetPartitionLeader(string topic, int partition, int brokerId) =>
        Check(WithUtf8(topic, t => Native.PartitionSetLeader(_cluster, t, partition, brokerId)), $"leader of {topic}/{partition}");

    /// <summary>Makes a broker (1-based id) the coordinator of a consumer group.</summary>
    public void SetGroupCoordinator(string group, int brokerId) =>
        Check(WithUtf8("group", t => WithUtf8(group, g => Native.CoordinatorSet(_cluster, t, g, brokerId))), $"coordinator of {group}");

    /// <summary>Answers the next requests of one Kafka API (by its protocol key, e.g. 9 for OffsetFetch) with these errors, one each, on any broker.</summary>
    public void FailNextRequests(short apiKey, params ErrorCode[] errors)
    {
        var codes = errors.Select(e => (int)e).ToArray();
        fixed (int* c = codes)
        {
            Native.PushRequestErrors(_cluster, apiKey, (nuint)codes.Length, c);
        }
    }

    /// <summary>How many threads librdkafka runs in this process, clients and mock brokers together.</summary>
    public static int NativeThreadCount() => Native.ThreadCount();

    public void Dispose()
    {
        if (_cluster == IntPtr.Zero)
        {
            return;
        }
        // The cluster goes before the handle it was created on.
        Native.ClusterDestroy(_cluster);
        Native.Destroy(_owner);
        _cluster = IntPtr.Zero;
    }

    private static void Set(IntPtr conf, string name, string value, byte[]? error = null)
    {
        error ??= new byte[512];
        var result = WithUtf8(name, n => WithUtf8(value, v =>
        {
            fixed (byte* e = error)
            {
                return Native.ConfSet(conf, n, v, e, (nuint)error.Length);
            }
        }));
        if (result != 0)
        {
            throw new InvalidOperationException($"rd_kafka_conf_set {name}: {Text(error)}");
        }
    }

    private static void Check(int error, string what)
    {
        if (error != 0)
        {
            throw new InvalidOperationException($"Kafka mock cluster: {what} failed with librdkafka error {error}");
        }
    }

    private delegate int Utf8Call(byte* text);

    private static int WithUtf8(string text, Utf8Call call)
    {
        var bytes = Encoding.UTF8.GetBytes(text + '\0');
        fixed (byte* p = bytes)
        {
            return call(p);
        }
    }

    private static string Text(byte[] error) => Encoding.UTF8.GetString(error).TrimEnd('\0');

    /// <summary>Entry points taken from the same librdkafka copy Confluent.Kafka uses.</summary>
    private static class Native
    {
        public static readonly delegate* unmanaged<IntPtr> ConfNew = (delegate* unmanaged<IntPtr>)LibRdKafka.Export("rd_kafka_conf_new");
        public static readonly delegate* unmanaged<IntPtr, void> ConfDestroy = (delegate* unmanaged<IntPtr, void>)LibRdKafka.Export("rd_kafka_conf_destroy");
        public static readonly delegate* unmanaged<IntPtr, byte*, byte*, byte*, nuint, int> ConfSet = (delegate* unmanaged<IntPtr, byte*, byte*, byte*, nuint, int>)LibRdKafka.Export("rd_kafka_conf_set");
        public static readonly delegate* unmanaged<int, IntPtr, byte*, nuint, IntPtr> New = (delegate* unmanaged<int, IntPtr, byte*, nuint, IntPtr>)LibRdKafka.Export("rd_kafka_new");
        public static readonly delegate* unmanaged<IntPtr, void> Destroy = (delegate* unmanaged<IntPtr, void>)LibRdKafka.Export("rd_kafka_destroy");
        public static readonly delegate* unmanaged<int> ThreadCount = (delegate* unmanaged<int>)LibRdKafka.Export("rd_kafka_thread_cnt");
        public static readonly delegate* unmanaged<IntPtr, int, IntPtr> ClusterNew = (delegate* unmanaged<IntPtr, int, IntPtr>)LibRdKafka.Export("rd_kafka_mock_cluster_new");
        public static readonly delegate* unmanaged<IntPtr, void> ClusterDestroy = (delegate* unmanaged<IntPtr, void>)LibRdKafka.Export("rd_kafka_mock_cluster_destroy");
        public static readonly delegate* unmanaged<IntPtr, IntPtr> Bootstraps = (delegate* unmanaged<IntPtr, IntPtr>)LibRdKafka.Export("rd_kafka_mock_cluster_bootstraps");
        public static readonly delegate* unmanaged<IntPtr, int, void> SetControllerId = (delegate* unmanaged<IntPtr, int, void>)LibRdKafka.Export("rd_kafka_mock_set_controller_id");
        public static readonly delegate* unmanaged<IntPtr, byte*, int, int, int> TopicCreate = (delegate* unmanaged<IntPtr, byte*, int, int, int>)LibRdKafka.Export("rd_kafka_mock_topic_create");
        public static readonly delegate* unmanaged<IntPtr, int, int> BrokerSetDown = (delegate* unmanaged<IntPtr, int, int>)LibRdKafka.Export("rd_kafka_mock_broker_set_down");
        public static readonly delegate* unmanaged<IntPtr, int, int> BrokerSetUp = (delegate* unmanaged<IntPtr, int, int>)LibRdKafka.Export("rd_kafka_mock_broker_set_up");
        public static readonly delegate* unmanaged<IntPtr, byte*, byte*, int, int> CoordinatorSet = (delegate* unmanaged<IntPtr, byte*, byte*, int, int>)LibRdKafka.Export("rd_kafka_mock_coordinator_set");
        public static readonly delegate* unmanaged<IntPtr, short, nuint, int*, void> PushRequestErrors = (delegate* unmanaged<IntPtr, short, nuint, int*, void>)LibRdKafka.Export("rd_kafka_mock_push_request_errors_array");
        public static readonly delegate* unmanaged<IntPtr, byte*, int, int, int> PartitionSetLeader = (delegate* unmanaged<IntPtr, byte*, int, int, int>)LibRdKafka.Export("rd_kafka_mock_partition_set_leader");
    }
}
