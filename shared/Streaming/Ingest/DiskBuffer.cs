using System.Buffers.Binary;
using System.IO.Hashing;
using Microsoft.Extensions.Logging;

namespace WineFunctions.Ingest;

/// <summary>Where the next record to drain starts.</summary>
public readonly record struct BufferPosition(long Segment, long Offset);

/// <summary>
/// The bridge's bounded on-disk buffer for records Kafka could not take: append-only segment
/// files of length- and CRC-framed records, and a cursor file naming the next record to drain.
/// Fsync policy: <see cref="Flush"/> fsyncs the open segment, and the bridge acknowledges a
/// buffered MQTT message only after that. The cursor is replaced atomically after records are
/// confirmed by Kafka, so a crash at any point re-sends (at least once), never loses. A torn
/// record at the end of the last segment (a crash mid-append, never acknowledged) is cut off
/// when the buffer is opened. One bridge at a time: an open buffer holds its <see cref="BufferLock"/>.
/// Not thread-safe: the bridge serialises access.
/// </summary>
public sealed class DiskBuffer : IDisposable
{
    private const int FrameHeader = 8; // length, CRC-32
    private const string Extension = ".seg";
    private readonly string _directory;
    private readonly long _maxBytes;
    private readonly long _segmentBytes;
    private readonly ILogger _logger;
    private readonly FileStream _lock;
    private readonly SortedDictionary<long, long> _segmentSizes = new();
    private FileStream? _writer;
    private BufferPosition _cursor;
    private long _nextSegment;

    private DiskBuffer(string directory, FileStream held, long maxBytes, long segmentBytes, ILogger logger)
    {
        _directory = directory;
        _lock = held;
        _maxBytes = maxBytes;
        _segmentBytes = segmentBytes;
        _logger = logger;
    }

    /// <summary>Records waiting to be drained.</summary>
    public long Count { get; private set; }

    /// <summary>Bytes on disk, drained or not, until their segment is deleted.</summary>
    public long Bytes => _segmentSizes.Values.Sum();

    public bool IsEmpty => Count == 0;

    /// <summary>Opens the buffer for this bridge alone; null while another bridge holds it.</summary>
    public static DiskBuffer? TryOpen(string directory, long maxBytes, long segmentBytes, ILogger logger)
    {
        Directory.CreateDirectory(directory);
        if (BufferLock.TryTake(directory) is not { } held)
        {
            return null;
        }
        var buffer = new DiskBuffer(directory, held, maxBytes, segmentBytes, logger);
        try
        {
            buffer.Recover();
        }
        catch
        {
            held.Dispose();
            throw;
        }
        return buffer;
    }

    /// <summary>Whether a record of this size fits under the size bound.</summary>
    public bool HasRoomFor(BufferedRecord record) => Bytes + Frame(record).Length <= _maxBytes || IsEmpty;

    public void Append(BufferedRecord record)
    {
        var frame = Frame(record);
        if (_writer is null || _writer.Length + frame.Length > _segmentBytes && _writer.Length > 0)
        {
            OpenNextSegment();
        }
        _writer!.Write(frame);
        _segmentSizes[SegmentOf(_writer)] = _writer.Length;
        Count++;
    }

    /// <summary>Writes appended records through to the disk (fsync).</summary>
    public void Flush() => _writer?.Flush(flushToDisk: true);

    /// <summary>Up to <paramref name="max"/> records from the cursor on, each with the position after it.</summary>
    public IReadOnlyList<(BufferedRecord Record, BufferPosition Next)> Peek(int max)
    {
        Flush();
        var records = new List<(BufferedRecord, BufferPosition)>();
        var position = _cursor;
        foreach (var segment in _segmentSizes.Keys.Where(s => s >= _cursor.Segment))
        {
            var offset = segment == position.Segment ? position.Offset : 0;
            using var file = new FileStream(SegmentPath(segment), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            file.Position = offset;
            while (records.Count < max && ReadFrame(file) is { } payload)
            {
                using var reader = new BinaryReader(new MemoryStream(payload));
                records.Add((BufferedRecord.ReadFrom(reader), new BufferPosition(segment, file.Position)));
            }
            if (records.Count >= max)
            {
                break;
            }
        }
        return records;
    }

    /// <summary>Marks the records before <paramref name="next"/> as delivered and drops the segments no longer needed.</summary>
    public void Advance(BufferPosition next, int records)
    {
        Count -= records;
        _cursor = next;
        if (IsEmpty)
        {
            // Drained: start the next append in a fresh segment so every old one can go.
            _writer?.Dispose();
            _writer = null;
            _cursor = new BufferPosition(_nextSegment, 0);
        }
        var cursorFile = Path.Combine(_directory, "cursor");
        using (var file = new FileStream(cursorFile + ".tmp", FileMode.Create, FileAccess.Write))
        {
            Span<byte> bytes = stackalloc byte[16];
            BinaryPrimitives.WriteInt64LittleEndian(bytes, _cursor.Segment);
            BinaryPrimitives.WriteInt64LittleEndian(bytes[8..], _cursor.Offset);
            file.Write(bytes);
            file.Flush(flushToDisk: true);
        }
        File.Move(cursorFile + ".tmp", cursorFile, overwrite: true);
        foreach (var drained in _segmentSizes.Keys.Where(segment => segment < _cursor.Segment).ToList())
        {
            File.Delete(SegmentPath(drained));
            _segmentSizes.Remove(drained);
        }
    }

    public void Dispose()
    {
        try
        {
            Flush();
            _writer?.Dispose();
        }
        finally
        {
            _lock.Dispose();
        }
    }

    private void Recover()
    {
        var cursorFile = Path.Combine(_directory, "cursor");
        if (File.Exists(cursorFile))
        {
            var bytes = File.ReadAllBytes(cursorFile);
            _cursor = new BufferPosition(BinaryPrimitives.ReadInt64LittleEndian(bytes), BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8)));
        }
        var segments = Directory.GetFiles(_directory, "*" + Extension)
            .Select(p => long.Parse(Path.GetFileNameWithoutExtension(p))).Order().ToList();
        foreach (var segment in segments)
        {
            if (segment < _cursor.Segment)
            {
                File.Delete(SegmentPath(segment));
                continue;
            }
            using var file = new FileStream(SegmentPath(segment), FileMode.Open, FileAccess.ReadWrite);
            long valid = 0;
            while (ReadFrame(file) is not null)
            {
                if (segment > _cursor.Segment || file.Position > _cursor.Offset)
                {
                    Count++;
                }
                valid = file.Position;
            }
            if (valid < file.Length)
            {
                _logger.LogWarning("Disk buffer segment {Segment}: cut {Bytes} bytes of a record torn by a crash", segment, file.Length - valid);
                file.SetLength(valid);
                file.Flush(flushToDisk: true);
            }
            _segmentSizes[segment] = valid;
        }
        if (_segmentSizes.Count > 0 && _cursor.Segment < _segmentSizes.Keys.First())
        {
            _cursor = new BufferPosition(_segmentSizes.Keys.First(), 0);
        }
        // Appends after a restart never touch an old segment.
        _nextSegment = Math.Max(_cursor.Segment, _segmentSizes.Count == 0 ? 0 : _segmentSizes.Keys.Last() + 1);
        if (Count > 0)
        {
            _logger.LogInformation("Disk buffer holds {Count} records from before the restart; draining them first", Count);
        }
    }

    private void OpenNextSegment()
    {
        Flush();
        _writer?.Dispose();
        var segment = _nextSegment++;
        _writer = new FileStream(SegmentPath(segment), FileMode.Append, FileAccess.Write, FileShare.Read);
        _segmentSizes[segment] = _writer.Length;
        if (IsEmpty)
        {
            _cursor = new BufferPosition(segment, 0);
        }
    }

    private static byte[] Frame(BufferedRecord record)
    {
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            record.WriteTo(writer);
        }
        var body = payload.ToArray();
        var frame = new byte[FrameHeader + body.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, body.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4), Crc32.HashToUInt32(body));
        body.CopyTo(frame, FrameHeader);
        return frame;
    }

    /// <summary>The next whole, intact record's payload, or null at the end or at a torn record.</summary>
    private static byte[]? ReadFrame(FileStream file)
    {
        var start = file.Position;
        Span<byte> header = stackalloc byte[FrameHeader];
        if (file.ReadAtLeast(header, FrameHeader, throwOnEndOfStream: false) < FrameHeader)
        {
            file.Position = start;
            return null;
        }
        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length <= 0 || length > file.Length - file.Position)
        {
            file.Position = start;
            return null;
        }
        var payload = new byte[length];
        file.ReadExactly(payload);
        if (Crc32.HashToUInt32(payload) != BinaryPrimitives.ReadUInt32LittleEndian(header[4..]))
        {
            file.Position = start;
            return null;
        }
        return payload;
    }

    private string SegmentPath(long segment) => Path.Combine(_directory, $"{segment:D12}{Extension}");

    private static long SegmentOf(FileStream stream) => long.Parse(Path.GetFileNameWithoutExtension(stream.Name));
}
