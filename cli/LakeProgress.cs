using Spectre.Console;
using WineFunctions.Explore;
using WineFunctions.Lake;

namespace WineFunctions.Cli;

/// <summary>Opens the lake for exploring, with a progress bar while S3 or Blob objects are copied into the cache.</summary>
internal static class LakeProgress
{
    public static async Task<ExploreSession> OpenAsync(IObjectStore store, string cacheFolder, CancellationToken cancellationToken)
    {
        if (store is FolderObjectStore || !ProgressView.Interactive)
        {
            var session = await ExploreSession.OpenLakeAsync(store, cacheFolder, null, cancellationToken);
            if (session.Snapshot!.Downloaded > 0)
            {
                Console.Error.WriteLine($"{store.Location}: {session.Snapshot.Downloaded} of {session.Snapshot.Objects.Count} objects downloaded into the cache");
            }
            return session;
        }
        ExploreSession? opened = null;
        await AnsiConsole.Progress().AutoClear(true).StartAsync(async context =>
        {
            var task = context.AddTask($"reading {store.Location}", maxValue: 1);
            var progress = new Progress<SnapshotProgress>(p =>
            {
                task.MaxValue = Math.Max(1, p.Total);
                task.Value = p.Done;
                task.Description = $"{store.Location}: {p.Downloaded} downloaded";
            });
            opened = await ExploreSession.OpenLakeAsync(store, cacheFolder, progress, cancellationToken);
        });
        return opened!;
    }
}
