using System.Diagnostics;

namespace WineFunctions.Benchmarks;

/// <summary>
/// CPU time spent by each party on the benchmark's shared cores: mosquitto, the benchmark's own
/// process (publishers, the raw subscriber, the Kafka mock cluster, the stand-in collector) and the bridge.
/// </summary>
internal sealed record CpuUse(TimeSpan Broker, TimeSpan Benchmark, TimeSpan Bridge)
{
    public static CpuUse Read(int brokerProcessId, BenchBridge? bridge)
    {
        using var broker = Process.GetProcessById(brokerProcessId);
        using var benchmark = Process.GetCurrentProcess();
        return new(broker.TotalProcessorTime, benchmark.TotalProcessorTime, bridge?.CpuTime ?? TimeSpan.Zero);
    }

    public static CpuUse operator -(CpuUse after, CpuUse before) =>
        new(after.Broker - before.Broker, after.Benchmark - before.Benchmark, after.Bridge - before.Bridge);

    public string PerSample(int samples)
    {
        string Micro(TimeSpan time) => $"{time.TotalMicroseconds / samples:0.0}";
        return $"CPU µs/sample: mosquitto {Micro(Broker)}, benchmark process {Micro(Benchmark)}, bridge {Micro(Bridge)}, all {Micro(Broker + Benchmark + Bridge)}";
    }
}
