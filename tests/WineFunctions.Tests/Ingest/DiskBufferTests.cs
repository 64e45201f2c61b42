using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using WineFunctions.Ingest;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Ingest;

[Trait(Categories.Name, Categories.Unit)]
public sealed class DiskBufferTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("wine-disk-buffer-");

    private DiskBuffer Open(long maxBytes = 1 << 20, long segmentBytes = 64 << 10) =>
        DiskBuffer.TryOpen(_folder.FullName, maxBytes, segmentBytes, NullLogger.Instance) ?? throw new IOException("held");

    private static BufferedRecord Record(int i) => new("wine.samples", $"batch-{i % 7}", Encoding.UTF8.GetBytes($"sample {i} " + new string('.', 300)),
        [new("mqtt-topic", "wine/wh-01/samples"u8.ToArray())]);

    private static int Number(BufferedRecord record) => int.Parse(Encoding.UTF8.GetString(record.Value).Split(' ')[1]);

    [Fact]
    public void One_bridge_at_a_time_holds_the_buffer_until_it_closes_it()
    {
        using (Open())
        {
            Assert.Null(DiskBuffer.TryOpen(_folder.FullName, 1 << 20, 64 << 10, NullLogger.Instance));
        }
        using var next = DiskBuffer.TryOpen(_folder.FullName, 1 << 20, 64 << 10, NullLogger.Instance);
        Assert.NotNull(next);
    }

    [Fact]
    public void Records_survive_a_reopen_and_drain_in_order_across_segments()
    {
        using (var buffer = Open())
        {
            for (var i = 0; i < 1000; i++)
            {
                buffer.Append(Record(i));
            }
            buffer.Flush();
            // Drain part of it before the "restart".
            var first = buffer.Peek(300);
            buffer.Advance(first[^1].Next, first.Count);
        }
        Assert.True(Directory.GetFiles(_folder.FullName, "*.seg").Length > 1, "the records must span segments");

        using var reopened = Open();
        Assert.Equal(700, reopened.Count);
        var drained = new List<int>();
        while (!reopened.IsEmpty)
        {
            var batch = reopened.Peek(128);
            drained.AddRange(batch.Select(b => Number(b.Record)));
            Assert.All(batch, b => Assert.Equal((Record(Number(b.Record)).Topic, Record(Number(b.Record)).Key), (b.Record.Topic, b.Record.Key)));
            Assert.All(batch, b => Assert.Equal("wine/wh-01/samples"u8.ToArray(), b.Record.Headers.Single(h => h.Key == "mqtt-topic").Value));
            reopened.Advance(batch[^1].Next, batch.Count);
        }
        Assert.Equal(Enumerable.Range(300, 700), drained);
        Assert.Empty(Directory.GetFiles(_folder.FullName, "*.seg"));
    }

    [Fact]
    public void A_record_torn_by_a_crash_is_cut_and_the_rest_kept()
    {
        using (var buffer = Open())
        {
            for (var i = 0; i < 10; i++)
            {
                buffer.Append(Record(i));
            }
            buffer.Flush();
        }
        var segment = Directory.GetFiles(_folder.FullName, "*.seg").Single();
        using (var file = new FileStream(segment, FileMode.Append))
        {
            file.Write([0x40, 0x01, 0, 0, 1, 2, 3, 4, 5, 6]); // a header promising 320 bytes, and a few of them
        }
        using var reopened = Open();
        Assert.Equal(10, reopened.Count);
        Assert.Equal(Enumerable.Range(0, 10), reopened.Peek(100).Select(r => Number(r.Record)));
        reopened.Append(Record(10));
        Assert.Equal(Enumerable.Range(0, 11), reopened.Peek(100).Select(r => Number(r.Record)));
    }

    [Fact]
    public void The_buffer_reports_full_at_its_bound_and_has_room_again_once_drained()
    {
        using var buffer = Open(maxBytes: 100_000, segmentBytes: 20_000);
        var appended = 0;
        while (buffer.HasRoomFor(Record(appended)))
        {
            buffer.Append(Record(appended++));
        }
        Assert.InRange(buffer.Bytes, 90_000, 100_000);
        var batch = buffer.Peek(appended);
        Assert.Equal(appended, batch.Count);
        buffer.Advance(batch[^1].Next, batch.Count);
        Assert.True(buffer.HasRoomFor(Record(0)));
        Assert.Equal(0, buffer.Bytes);
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
