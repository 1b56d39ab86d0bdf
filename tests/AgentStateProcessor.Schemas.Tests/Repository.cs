using System.Runtime.CompilerServices;

namespace AgentStateProcessor.Schemas.Tests;

/// <summary>Paths in the source tree the tests were built from.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string TablesDirectory => Path.Combine(Root, "schemas", "tables");

    public static string EventsDirectory => Path.Combine(Root, "schemas", "events");

    public static string SnapshotsDirectory => Path.Combine(Root, "schemas", "snapshots");

    public static string SamplesDirectory => Path.Combine(Root, "samples");

    /// <summary>The reference documents the tables transcribe, kept in the repository for provenance.</summary>
    public static string SeedsDirectory => Path.Combine(Root, "schemas", "seeds");

    private static string FindRoot([CallerFilePath] string sourceFile = "")
    {
        // Builds may put their output outside the tree (--artifacts-path), so start from this source file first.
        string[] starts = [Path.GetDirectoryName(sourceFile) ?? "", Environment.CurrentDirectory, AppContext.BaseDirectory];
        foreach (var start in starts.Where(Directory.Exists))
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "AgentStateProcessor.sln"))) return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No AgentStateProcessor.sln above {string.Join(" or ", starts)}.");
    }
}
