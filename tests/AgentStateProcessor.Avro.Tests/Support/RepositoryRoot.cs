using System.Reflection;

namespace AgentStateProcessor.Avro.Tests.Support;

internal static class RepositoryRoot
{
    private const string SolutionFile = "AgentStateProcessor.sln";

    /// <summary>
    /// The folder holding AgentStateProcessor.sln: above the test binaries, or, when they were built into an artifacts
    /// path outside the repository, above the project directory recorded at build time.
    /// </summary>
    public static string Find()
    {
        var projectDirectory = typeof(RepositoryRoot).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "ProjectDirectory")?.Value;
        string?[] starts = [AppContext.BaseDirectory, projectDirectory];
        foreach (var start in starts)
        {
            for (var directory = start is null ? null : new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
                {
                    return directory.FullName;
                }
            }
        }
        throw new InvalidOperationException($"No {SolutionFile} above {AppContext.BaseDirectory} or {projectDirectory}.");
    }
}
