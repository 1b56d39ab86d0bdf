using System.Runtime.CompilerServices;

namespace AgentStateProcessor.TestSupport;

/// <summary>
/// The checkout the tests were built from: the directory holding <c>AgentStateProcessor.sln</c>.
/// Shared by the test projects (linked into each, like PythonAvro.cs), so there is one way to find it.
/// </summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string PathOf(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find([CallerFilePath] string sourceFile = "")
    {
        // This source file's directory first: builds may put their output outside the tree
        // (--artifacts-path); then the working and base directories, for builds that map source paths.
        string[] starts = [System.IO.Path.GetDirectoryName(sourceFile) ?? "", Environment.CurrentDirectory, AppContext.BaseDirectory];
        foreach (var start in starts.Where(Directory.Exists))
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(directory.FullName, "AgentStateProcessor.sln"))) return directory.FullName;
            }
        }
        throw new DirectoryNotFoundException($"No AgentStateProcessor.sln above {string.Join(" or ", starts)}.");
    }
}
