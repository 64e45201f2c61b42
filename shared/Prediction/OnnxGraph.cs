using System.Buffers.Binary;
using Google.Protobuf;

namespace WineFunctions.Prediction;

/// <summary>One node of an ONNX graph: its operator, its inputs and outputs by name, and its attributes.</summary>
internal sealed record OnnxNode(string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, IReadOnlyDictionary<string, OnnxAttribute> Attributes)
{
    public OnnxAttribute Attribute(string name) =>
        Attributes.TryGetValue(name, out var attribute) ? attribute : throw new InvalidDataException($"the {OpType} node has no '{name}' attribute");
}

/// <summary>An attribute's values; only the kinds a tree ensemble uses are kept.</summary>
internal sealed record OnnxAttribute(float Float, long Int, string Text, IReadOnlyList<float> Floats, IReadOnlyList<long> Ints, IReadOnlyList<string> Texts);

/// <summary>
/// The parts of an ONNX model a tree ensemble needs, read with protobuf's wire reader (field numbers
/// of onnx.proto): the graph's nodes in order, its float initializers and its output names. Generated
/// classes for the whole ONNX schema would be hundreds of types for the dozen fields used here.
/// </summary>
internal sealed class OnnxGraph
{
    public List<OnnxNode> Nodes { get; } = [];

    public Dictionary<string, float[]> Initializers { get; } = new(StringComparer.Ordinal);

    public List<string> Outputs { get; } = [];

    public static OnnxGraph Read(byte[] model)
    {
        var graph = new OnnxGraph();
        var input = new CodedInputStream(model);
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            if (WireFormat.GetTagFieldNumber(tag) == 7) // ModelProto.graph
            {
                graph.ReadGraph(new CodedInputStream(input.ReadBytes().ToByteArray()));
            }
            else
            {
                input.SkipLastField();
            }
        }
        return graph;
    }

    private void ReadGraph(CodedInputStream input)
    {
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: Nodes.Add(ReadNode(new CodedInputStream(input.ReadBytes().ToByteArray()))); break;
                case 5: ReadInitializer(new CodedInputStream(input.ReadBytes().ToByteArray())); break;
                case 12: Outputs.Add(ReadName(new CodedInputStream(input.ReadBytes().ToByteArray()))); break;
                default: input.SkipLastField(); break;
            }
        }
    }

    private static OnnxNode ReadNode(CodedInputStream input)
    {
        var (inputs, outputs, op, attributes) = (new List<string>(), new List<string>(), "", new Dictionary<string, OnnxAttribute>(StringComparer.Ordinal));
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: inputs.Add(input.ReadString()); break;
                case 2: outputs.Add(input.ReadString()); break;
                case 4: op = input.ReadString(); break;
                case 5:
                    var (name, attribute) = ReadAttribute(new CodedInputStream(input.ReadBytes().ToByteArray()));
                    attributes[name] = attribute;
                    break;
                default: input.SkipLastField(); break;
            }
        }
        return new OnnxNode(op, inputs, outputs, attributes);
    }

    private static (string Name, OnnxAttribute Attribute) ReadAttribute(CodedInputStream input)
    {
        var (name, f, i, s, floats, ints, texts) = ("", 0f, 0L, "", new List<float>(), new List<long>(), new List<string>());
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            var packed = WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited;
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: name = input.ReadString(); break;
                case 2: f = input.ReadFloat(); break;
                case 3: i = input.ReadInt64(); break;
                case 4: s = input.ReadBytes().ToStringUtf8(); break;
                case 7: Repeated(input, packed, floats, run => run.ReadFloat()); break;
                case 8: Repeated(input, packed, ints, run => run.ReadInt64()); break;
                case 9: texts.Add(input.ReadBytes().ToStringUtf8()); break;
                default: input.SkipLastField(); break;
            }
        }
        return (name, new OnnxAttribute(f, i, s, floats, ints, texts));
    }

    /// <summary>A tensor of floats, from <c>float_data</c> or little-endian <c>raw_data</c>.</summary>
    private void ReadInitializer(CodedInputStream input)
    {
        var (name, values) = ("", new List<float>());
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 4: Repeated(input, WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited, values, run => run.ReadFloat()); break;
                case 8: name = input.ReadString(); break;
                case 9:
                    var raw = input.ReadBytes().Span;
                    for (var n = 0; n + 4 <= raw.Length; n += 4)
                    {
                        values.Add(BinaryPrimitives.ReadSingleLittleEndian(raw[n..(n + 4)]));
                    }
                    break;
                default: input.SkipLastField(); break;
            }
        }
        Initializers[name] = [.. values];
    }

    private static string ReadName(CodedInputStream input)
    {
        var name = "";
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            if (WireFormat.GetTagFieldNumber(tag) == 1)
            {
                name = input.ReadString();
            }
            else
            {
                input.SkipLastField();
            }
        }
        return name;
    }

    /// <summary>A repeated number, packed (one length-delimited run) or not (one value per tag).</summary>
    private static void Repeated<T>(CodedInputStream input, bool packed, List<T> values, Func<CodedInputStream, T> read)
    {
        if (!packed)
        {
            values.Add(read(input));
            return;
        }
        var run = new CodedInputStream(input.ReadBytes().ToByteArray());
        while (!run.IsAtEnd)
        {
            values.Add(read(run));
        }
    }
}
