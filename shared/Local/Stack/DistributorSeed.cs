using WineFunctions.Lake;
using WineFunctions.Ratings;
using WineFunctions.Simulation;

namespace WineFunctions.Stack;

/// <summary>
/// Distributors for a lake that has none, so that recommendations under <c>wine up</c> come with
/// offers: four wine cities, each stocking a seeded share of the simulated batches. A real site's
/// ops team maintains <see cref="LakeLayout.Distributors"/> instead; a file already there is kept.
/// </summary>
public static class DistributorSeed
{
    private static readonly (string Id, string Name, string City, double Latitude, double Longitude)[] Cities =
    [
        ("d-porto", "Cave do Porto", "Porto", 41.1496, -8.6109),
        ("d-bordeaux", "Chai du Port", "Bordeaux", 44.8378, -0.5792),
        ("d-lyon", "Cave de Lyon", "Lyon", 45.7640, 4.8357),
        ("d-reims", "Maison de Reims", "Reims", 49.2583, 4.0317),
    ];

    /// <summary>Writes the file unless the lake has one; true when it wrote it.</summary>
    public static Task<bool> PlantAsync(IObjectStore lake, IEnumerable<BatchProfile> batches, int seed, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        var ids = batches.Select(b => b.BatchId).Order(StringComparer.Ordinal).ToList();
        var file = new DistributorsFile(Cities.Select(c => new Distributor(c.Id, c.Name, c.City, c.Latitude, c.Longitude,
            ids.Where(_ => random.NextDouble() < 0.6)
                .Select(id => new StockLine(id, 6 * random.Next(1, 21), Math.Round(9m + (decimal)random.NextDouble() * 30m, 2)))
                .ToList())).ToList());
        // Create-if-absent: never over an ops team's file, nor one an earlier run planted.
        return lake.CreateAsync(LakeLayout.Distributors, DistributorDirectory.Serialize(file), new Dictionary<string, string>(), cancellationToken);
    }
}
