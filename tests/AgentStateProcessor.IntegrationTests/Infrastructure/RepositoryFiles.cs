using System.Runtime.CompilerServices;

namespace AgentStateProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// Finds files of the repository from the test's source location, which works whatever --artifacts-path
/// the build used (the test binaries may live far from the checkout).
/// </summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] relativeParts) => Path.Combine([Root, .. relativeParts]);

    private static string FindRoot([CallerFilePath] string sourceFile = "")
    {
        for (var directory = Path.GetDirectoryName(sourceFile); directory is not null; directory = Path.GetDirectoryName(directory))
        {
            if (File.Exists(Path.Combine(directory, "AgentStateProcessor.sln")))
            {
                return directory;
            }
        }

        throw new DirectoryNotFoundException($"No AgentStateProcessor.sln above {sourceFile}.");
    }
}
