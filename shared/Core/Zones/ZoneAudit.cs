using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using WineFunctions.Lake;

namespace WineFunctions.Zones;

/// <summary>Opening the lake in a zone, and reading back the crossings recorded in it.</summary>
public static class ZoneAudit
{
    /// <summary>The lake as a function in <paramref name="zone"/> sees it; the lake's home zone is <see cref="LakeSettings.Zone"/> or, unset, the function's own.</summary>
    public static IObjectStore InZone(this IObjectStore lake, ZoneSettings zone, string? lakeZone, string function, TimeProvider time, ILogger? logger = null) =>
        new ZonedObjectStore(lake, zone, lakeZone ?? zone.Name, function, time, logger);

    /// <summary>The crossings recorded from <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive), in time order.</summary>
    public static async IAsyncEnumerable<ZoneCrossing> CrossingsAsync(IObjectStore lake, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The store underneath: reading the audit must not itself be audited.
        var store = lake is ZonedObjectStore zoned ? zoned.Inner : lake;
        for (var day = DateOnly.FromDateTime(from.UtcDateTime); day <= DateOnly.FromDateTime(to.UtcDateTime); day = day.AddDays(1))
        {
            var records = new List<ZoneCrossing>();
            await foreach (var entry in store.ListAsync(ZoneCrossing.Day(day), cancellationToken))
            {
                if (await store.GetAsync(entry.Key, cancellationToken) is { } stored)
                {
                    var crossing = ZoneCrossing.FromJson(stored.Content);
                    if (crossing.At >= from && crossing.At < to)
                    {
                        records.Add(crossing);
                    }
                }
            }
            foreach (var crossing in records.OrderBy(c => c.At))
            {
                yield return crossing;
            }
        }
    }
}
