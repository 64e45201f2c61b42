namespace WineFunctions.Ingest;

/// <summary>A Kafka record the bridge owes to Kafka: destination topic, key, value and headers.</summary>
public sealed record BufferedRecord(string Topic, string? Key, byte[] Value, IReadOnlyList<KeyValuePair<string, byte[]>> Headers)
{
    public void WriteTo(BinaryWriter writer)
    {
        writer.Write(Topic);
        writer.Write(Key is not null);
        if (Key is not null)
        {
            writer.Write(Key);
        }
        writer.Write(Value.Length);
        writer.Write(Value);
        writer.Write(Headers.Count);
        foreach (var (name, value) in Headers)
        {
            writer.Write(name);
            writer.Write(value.Length);
            writer.Write(value);
        }
    }

    public static BufferedRecord ReadFrom(BinaryReader reader)
    {
        var topic = reader.ReadString();
        var key = reader.ReadBoolean() ? reader.ReadString() : null;
        var value = reader.ReadBytes(reader.ReadInt32());
        var headers = new KeyValuePair<string, byte[]>[reader.ReadInt32()];
        for (var i = 0; i < headers.Length; i++)
        {
            headers[i] = new(reader.ReadString(), reader.ReadBytes(reader.ReadInt32()));
        }
        return new BufferedRecord(topic, key, value, headers);
    }
}
