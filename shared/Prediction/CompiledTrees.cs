using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using WineFunctions.Models;

namespace WineFunctions.Prediction;

/// <summary>
/// A class model as plain arrays, compiled from its ONNX export: ML.NET's LightGbm multiclass
/// model is one tree ensemble per class (ONNX <c>TreeEnsembleRegressor</c>, branch when
/// value &lt;= threshold), each score through its Platt sigmoid (<c>Mul</c>, <c>Add</c>,
/// <c>Sigmoid</c>, <c>Clip</c>), and the three normalised to sum to one. Walking flat arrays is
/// what makes a batch fast, and it needs no native runtime in the Lambda. A graph of any other
/// shape is refused, naming what was missing.
/// </summary>
internal sealed class CompiledTrees
{
    private const int Classes = 3;
    private const int RowsPerChunk = 1024;

    /// <summary>Rows walked through a tree together: their steps do not wait on each other, so the core overlaps them.</summary>
    private const int Lanes = 16;

    /// <summary>
    /// A node of a tree: a branch sends a row to <see cref="True"/> when its feature is at most the
    /// threshold, else to <see cref="False"/> (the next field, so the pair is read by offset); a leaf
    /// points both ways at itself (threshold +inf), so a tree is walked a fixed number of steps (its
    /// depth) with no branch on the row's path.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Node
    {
        public int Feature;
        public float Threshold;
        public int True;
        public int False;
    }

    private readonly Node[] _nodes;
    private readonly double[] _leafValue;
    private readonly int[] _roots, _depths, _treeClass;
    private readonly double[] _base, _slope, _offset;

    private CompiledTrees(Nodes nodes, double[] bases, double[] slopes, double[] offsets)
    {
        _nodes = [.. Enumerable.Range(0, nodes.Feature.Count).Select(n => new Node
        {
            Feature = nodes.Feature[n], Threshold = nodes.Threshold[n], True = nodes.Children[2 * n], False = nodes.Children[2 * n + 1],
        })];
        _leafValue = [.. nodes.LeafValue];
        (_roots, _depths, _treeClass) = ([.. nodes.Roots], [.. nodes.Depths], [.. nodes.TreeClass]);
        (_base, _slope, _offset) = (bases, slopes, offsets);
    }

    private sealed class Nodes
    {
        public List<int> Feature { get; } = [];
        public List<float> Threshold { get; } = [];
        public List<int> Children { get; } = [];
        public List<double> LeafValue { get; } = [];
        public List<int> Roots { get; } = [];
        public List<int> Depths { get; } = [];
        public List<int> TreeClass { get; } = [];
    }

    public static CompiledTrees FromOnnx(byte[] onnx)
    {
        var graph = OnnxGraph.Read(onnx);
        var producer = graph.Nodes.SelectMany(n => n.Outputs.Select(o => (o, n))).ToDictionary(x => x.o, x => x.n, StringComparer.Ordinal);
        OnnxNode Feeding(string name, string op) =>
            producer.TryGetValue(name, out var node) && node.OpType == op ? node : throw new InvalidDataException($"'{name}' does not come from a {op} node");
        float Constant(string name) =>
            graph.Initializers.TryGetValue(name, out var value) && value.Length == 1 ? value[0] : throw new InvalidDataException($"'{name}' is not a one-value constant");

        // Score.output <- Max/Identity <- Concat of one normalised probability per class.
        var concat = graph.Nodes.SingleOrDefault(n => n.OpType == "Concat") ?? throw new InvalidDataException("no Concat node gathers the class probabilities");
        if (concat.Inputs.Count != Classes)
        {
            throw new InvalidDataException($"the probabilities are {concat.Inputs.Count} classes, not {Classes}");
        }
        var nodes = new Nodes();
        var (bases, slopes, offsets) = (new double[Classes], new double[Classes], new double[Classes]);
        for (var k = 0; k < Classes; k++)
        {
            var clip = Feeding(Feeding(concat.Inputs[k], "Div").Inputs[0], "Clip");
            var add = Feeding(Feeding(clip.Inputs[0], "Sigmoid").Inputs[0], "Add");
            var mul = Feeding(add.Inputs[0], "Mul");
            (slopes[k], offsets[k]) = (Constant(mul.Inputs[1]), Constant(add.Inputs[1]));
            bases[k] = AddEnsemble(Feeding(mul.Inputs[0], "TreeEnsembleRegressor"), k, nodes);
        }
        return new CompiledTrees(nodes, bases, slopes, offsets);
    }

    /// <summary>Appends one class's trees; returns the ensemble's base value.</summary>
    private static double AddEnsemble(OnnxNode ensemble, int classIndex, Nodes nodes)
    {
        if (ensemble.Attribute("aggregate_function").Text is not ("SUM" or "") || ensemble.Attribute("post_transform").Text is not ("NONE" or ""))
        {
            throw new InvalidDataException("a tree ensemble that is not a plain sum of its trees");
        }
        var (trees, ids, features, modes, values, trues, falses) = (ensemble.Attribute("nodes_treeids").Ints, ensemble.Attribute("nodes_nodeids").Ints,
            ensemble.Attribute("nodes_featureids").Ints, ensemble.Attribute("nodes_modes").Texts, ensemble.Attribute("nodes_values").Floats,
            ensemble.Attribute("nodes_truenodeids").Ints, ensemble.Attribute("nodes_falsenodeids").Ints);
        var leafWeights = new Dictionary<(long, long), double>();
        var (targetTrees, targetNodes, weights) = (ensemble.Attribute("target_treeids").Ints, ensemble.Attribute("target_nodeids").Ints, ensemble.Attribute("target_weights").Floats);
        for (var t = 0; t < targetTrees.Count; t++)
        {
            leafWeights[(targetTrees[t], targetNodes[t])] = leafWeights.GetValueOrDefault((targetTrees[t], targetNodes[t])) + weights[t];
        }
        // Every ONNX node gets its index first, then the branches point at their children's.
        var index = new Dictionary<(long Tree, long Node), int>();
        for (var n = 0; n < ids.Count; n++)
        {
            index[(trees[n], ids[n])] = nodes.Feature.Count + n;
        }
        for (var n = 0; n < ids.Count; n++)
        {
            var self = nodes.Feature.Count;
            switch (modes[n])
            {
                case "LEAF":
                    nodes.Feature.Add(0);
                    nodes.Threshold.Add(float.PositiveInfinity);
                    nodes.Children.AddRange([self, self]);
                    nodes.LeafValue.Add(leafWeights.GetValueOrDefault((trees[n], ids[n])));
                    break;
                case "BRANCH_LEQ":
                    nodes.Feature.Add((int)features[n] is >= 0 and < ModelFeatures.Count ? (int)features[n] : throw new InvalidDataException($"a branch on feature {features[n]}"));
                    nodes.Threshold.Add(values[n]);
                    nodes.Children.AddRange([index[(trees[n], trues[n])], index[(trees[n], falses[n])]]);
                    nodes.LeafValue.Add(0);
                    break;
                default:
                    throw new InvalidDataException($"a tree branch of mode {modes[n]}; only BRANCH_LEQ is compiled");
            }
        }
        foreach (var tree in trees.Distinct())
        {
            var root = index[(tree, 0)];
            nodes.Roots.Add(root);
            nodes.Depths.Add(Depth(nodes, root));
            nodes.TreeClass.Add(classIndex);
        }
        return ensemble.Attributes.TryGetValue("base_values", out var bases) && bases.Floats.Count > 0 ? bases.Floats[0] : 0;
    }

    private static int Depth(Nodes nodes, int node) =>
        nodes.Children[2 * node] == node ? 0 : 1 + Math.Max(Depth(nodes, nodes.Children[2 * node]), Depth(nodes, nodes.Children[2 * node + 1]));

    /// <summary>Class probabilities (good, better, best) of <paramref name="rows"/> feature vectors laid end to end; large batches on every core.</summary>
    public void Predict(float[] features, int rows, float[] probabilities)
    {
        if (rows <= RowsPerChunk)
        {
            PredictRows(features, 0, rows, probabilities);
            return;
        }
        Parallel.For(0, (rows + RowsPerChunk - 1) / RowsPerChunk, chunk =>
            PredictRows(features, chunk * RowsPerChunk, Math.Min(rows, (chunk + 1) * RowsPerChunk), probabilities));
    }

    private void PredictRows(float[] features, int from, int to, float[] probabilities)
    {
        Span<double> scores = stackalloc double[Lanes * Classes];
        Span<int> node = stackalloc int[Lanes];
        for (var start = from; start < to; start += Lanes)
        {
            var lanes = Math.Min(Lanes, to - start);
            for (var lane = 0; lane < lanes; lane++)
            {
                _base.CopyTo(scores[(lane * Classes)..]);
            }
            // Unchecked reads: every index comes from the compiled arrays themselves, checked when they were built.
            ref var nodes = ref MemoryMarshal.GetArrayDataReference(_nodes);
            ref var rows = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(features), start * ModelFeatures.Count);
            for (var t = 0; t < _roots.Length; t++)
            {
                node.Fill(_roots[t]);
                for (var step = 0; step < _depths[t]; step++)
                {
                    for (var lane = 0; lane < lanes; lane++)
                    {
                        ref var at = ref Unsafe.Add(ref nodes, node[lane]);
                        var right = !(Unsafe.Add(ref rows, lane * ModelFeatures.Count + at.Feature) <= at.Threshold);
                        node[lane] = Unsafe.Add(ref at.True, right ? 1 : 0);
                    }
                }
                for (var lane = 0; lane < lanes; lane++)
                {
                    scores[lane * Classes + _treeClass[t]] += _leafValue[node[lane]];
                }
            }
            for (var lane = 0; lane < lanes; lane++)
            {
                Probabilities(scores.Slice(lane * Classes, Classes), probabilities.AsSpan((start + lane) * Classes, Classes));
            }
        }
    }

    /// <summary>Each class score through its sigmoid, then normalised to sum to one, as the export does.</summary>
    private void Probabilities(Span<double> score, Span<float> probabilities)
    {
        var sum = 0.0;
        for (var k = 0; k < Classes; k++)
        {
            score[k] = Math.Max(0, 1 / (1 + Math.Exp(-(score[k] * _slope[k] + _offset[k]))));
            sum += score[k];
        }
        sum = sum == 0 ? 1 : sum; // the export's guard against dividing by zero
        for (var k = 0; k < Classes; k++)
        {
            probabilities[k] = (float)(score[k] / sum);
        }
    }
}
