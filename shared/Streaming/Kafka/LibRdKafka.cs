using System.Reflection;
using System.Runtime.InteropServices;

namespace WineFunctions.Kafka;

/// <summary>
/// Loads one copy of librdkafka for the whole process and hands it to Confluent.Kafka, so that
/// the mock cluster and the clients share the same native library (and its thread count).
/// librdkafka.redist ships several builds; on Debian 12 the plain one lacks libsasl2.so.3, so the
/// glibc-only centos8 build is the one that loads.
/// </summary>
public static class LibRdKafka
{
    private static readonly string[] Candidates = ["librdkafka.so", "centos8-librdkafka.so"];
    private static readonly Lazy<IntPtr> Handle = new(Load);

    // A portable build keeps native files under runtimes/linux-x64/native; a linux-x64 publish puts them beside the app.
    private static readonly string[] Folders = [Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native"), AppContext.BaseDirectory];

    public static IntPtr Library => Handle.Value;

    public static IntPtr Export(string name) => NativeLibrary.GetExport(Library, name);

    /// <summary>Whether Confluent.Kafka's clients run on <see cref="Library"/>, so its functions may be called with their handles.</summary>
    public static bool SharedWithClients
    {
        get
        {
            _ = Library;
            return _routed;
        }
    }

    private static volatile bool _routed;

    private static IntPtr Load()
    {
        foreach (var folder in Folders)
        {
            foreach (var candidate in Candidates)
            {
                if (NativeLibrary.TryLoad(Path.Combine(folder, candidate), out var handle))
                {
                    Route(typeof(Confluent.Kafka.Library).Assembly, handle);
                    return handle;
                }
            }
        }
        throw new DllNotFoundException($"none of {string.Join(", ", Candidates)} in {string.Join(" or ", Folders)} could be loaded");
    }

    private static void Route(Assembly confluent, IntPtr handle)
    {
        try
        {
            NativeLibrary.SetDllImportResolver(confluent, (name, _, _) => name == "librdkafka" ? handle : IntPtr.Zero);
            _routed = true;
        }
        catch (InvalidOperationException)
        {
            // A resolver is already set (a host did it first); Confluent.Kafka then finds its own copy.
        }
    }
}
