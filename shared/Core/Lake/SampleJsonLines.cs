using System.Text;
using WineFunctions.Samples;

namespace WineFunctions.Lake;

/// <summary>Raw samples as JSON lines, one v1 contract object per line, for those who prefer text.</summary>
public static class SampleJsonLines
{
    public static byte[] Write(IEnumerable<WineSample> samples)
    {
        using var stream = new MemoryStream();
        foreach (var sample in samples)
        {
            stream.Write(SampleJson.Serialize(sample));
            stream.WriteByte((byte)'\n');
        }
        return stream.ToArray();
    }

    public static IReadOnlyList<WineSample> Read(byte[] content) =>
        Encoding.UTF8.GetString(content).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => SampleValidator.ValidateStored(Encoding.UTF8.GetBytes(line)).Sample
                            ?? throw new InvalidDataException("a line is not a valid sample"))
            .ToList();
}
