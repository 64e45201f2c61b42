using Microsoft.Extensions.Logging;

namespace WineFunctions.Simulation;

/// <summary>
/// The simulated warehouses: every device scans batches of its warehouse and publishes the
/// samples to the broker. Each warehouse's batches, and every device, have their own seeded
/// random stream, so a run is reproducible up to timing.
/// </summary>
public sealed class DeviceSimulator
{
    private readonly SimulatorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public DeviceSimulator(SimulatorOptions options, TimeProvider time, ILogger logger)
    {
        if (options.Devices.Count == 0)
        {
            throw new ArgumentException("the simulator needs at least one device", nameof(options));
        }
        if (options.SamplesPerSecond <= 0)
        {
            throw new ArgumentException("the scan rate must be positive", nameof(options));
        }
        _options = options;
        _time = time;
        _logger = logger;
        var generator = new SampleGenerator(SampleModelFigures.Uci, new Random(options.Seed));
        Batches = options.Devices.Select(d => d.WarehouseId).Distinct()
            .ToDictionary(w => w, w => (IReadOnlyList<BatchProfile>)Enumerable.Range(1, options.BatchesPerWarehouse)
                .Select(b => generator.DrawBatch($"{w}-batch-{b:D3}")).ToList());
    }

    public SimulatorStats Stats { get; } = new();

    /// <summary>The casks each warehouse samples from, with the class each was drawn from.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<BatchProfile>> Batches { get; }

    /// <summary>
    /// Runs until the sample budget is delivered or <paramref name="stopScanning"/> fires; queued
    /// samples are still sent until <paramref name="stopSending"/> fires.
    /// </summary>
    public async Task RunAsync(CancellationToken stopScanning, CancellationToken stopSending)
    {
        var budget = new SampleBudget(_options.Samples);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(stopScanning, stopSending);
        using var stopAll = CancellationTokenSource.CreateLinkedTokenSource(stopSending, failed.Token);
        var devices = _options.Devices.Select((identity, i) => new SimulatedDevice(identity, _options, Batches[identity.WarehouseId],
            HashCode.Combine(_options.Seed, i), budget, Stats, _time, _logger)).ToList();
        _logger.LogInformation("Simulating {Devices} devices in {Warehouses} warehouses at {Rate} samples/s",
            devices.Count, Batches.Count, _options.SamplesPerSecond);
        var runs = devices.Select(async d =>
        {
            try
            {
                await d.RunAsync(failed.Token, stopAll.Token);
            }
            catch (SimulatorException)
            {
                await failed.CancelAsync(); // one refused login stops the run: the set-up is wrong
                throw;
            }
        }).ToList();
        try
        {
            await Task.WhenAll(runs);
        }
        catch (OperationCanceledException) when (stopSending.IsCancellationRequested)
        {
            // Stopped on purpose; what is still queued shows in the stats.
        }
    }
}
