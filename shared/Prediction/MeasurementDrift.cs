using System.Diagnostics.Metrics;
using WineFunctions.Models;
using WineFunctions.Samples;

namespace WineFunctions.Prediction;

/// <summary>
/// Measurement drift as a metric: per warehouse and colour, each measurement's population stability
/// index of the last <see cref="Window"/> predicted samples against the champion's training set (the
/// bins on its card), observed as <c>wine.predict.measurement.psi</c>. A champion loaded later (a
/// promotion, or a rollback to an older version) starts the windows afresh (its bins differ), objects
/// still scored by the one loaded before are left out, and a card without bins measures nothing.
/// </summary>
internal sealed class MeasurementDrift
{
    public const int Window = 1_000;

    /// <summary>Fewer samples than this say more about chance than about drift: no value is observed yet.</summary>
    public const int Minimum = 100;

    private readonly Lock _lock = new();
    private readonly Dictionary<(string Warehouse, WineColour Colour), RecentBins> _groups = [];
    private Dictionary<string, MeasurementBins[]> _reference = [];
    private long _loadOrder;

    public void Add(IReadOnlyList<SamplePrediction> predictions, IReadOnlyList<WineSample> samples, SampleClassifier classifier)
    {
        if (classifier.TrainingReference is not { } reference)
        {
            return;
        }
        Span<double> values = stackalloc double[Measurement.All.Count];
        lock (_lock)
        {
            if (classifier.LoadOrder < _loadOrder)
            {
                return; // an object still scored by the champion before: its bins are not the windows' any more
            }
            if (classifier.LoadOrder != _loadOrder)
            {
                _loadOrder = classifier.LoadOrder;
                _groups.Clear();
                _reference = reference.GroupBy(b => b.Colour).ToDictionary(g => g.Key,
                    g => Measurement.All.Select(m => g.Single(b => b.Measurement == m.Field)).ToArray());
            }
            for (var i = 0; i < samples.Count; i++)
            {
                var sample = samples[i];
                // A rejected sample's impossible values are a data fault, not drift.
                if (predictions[i].PredictedClass is null || !_reference.TryGetValue(sample.Wine.Name(), out var bins))
                {
                    continue;
                }
                if (!_groups.TryGetValue((sample.WarehouseId, sample.Wine), out var group))
                {
                    _groups[(sample.WarehouseId, sample.Wine)] = group = new RecentBins(bins);
                }
                sample.CopyMeasurementsTo(values);
                group.Add(values);
            }
        }
    }

    public IEnumerable<Measurement<double>> Observe()
    {
        lock (_lock)
        {
            var observed = new List<Measurement<double>>();
            foreach (var ((warehouse, colour), group) in _groups)
            {
                if (group.Count < Minimum)
                {
                    continue;
                }
                for (var m = 0; m < Measurement.All.Count; m++)
                {
                    observed.Add(new Measurement<double>(group.Index(m), new KeyValuePair<string, object?>("warehouse", warehouse),
                        new KeyValuePair<string, object?>("colour", colour.Name()), new KeyValuePair<string, object?>("measurement", Measurement.All[m].Field)));
                }
            }
            return observed;
        }
    }

    /// <summary>The bins of one group's last <see cref="Window"/> samples, and each bin's count.</summary>
    private sealed class RecentBins(MeasurementBins[] bins)
    {
        private readonly byte[,] _ring = new byte[Window, bins.Length];
        private readonly int[][] _counts = [.. bins.Select(b => new int[b.Shares.Count])];
        private int _next;

        public int Count { get; private set; }

        public void Add(ReadOnlySpan<double> values)
        {
            for (var m = 0; m < bins.Length; m++)
            {
                if (Count == Window)
                {
                    _counts[m][_ring[_next, m]]--;
                }
                var bin = PopulationStability.BinOf(bins[m].Edges, values[m]);
                _ring[_next, m] = (byte)bin;
                _counts[m][bin]++;
            }
            _next = (_next + 1) % Window;
            Count = Math.Min(Count + 1, Window);
        }

        public double Index(int measurement) => PopulationStability.Index(bins[measurement].Shares, _counts[measurement], Count);
    }
}
