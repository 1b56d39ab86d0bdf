using System.Runtime.CompilerServices;

namespace AgentStateProcessor.Processing.Tests.Support;

/// <summary>
/// Files of the checkout, found from this source file's path so that any --artifacts-path works
/// (the test binaries may live far from the repository).
/// </summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot([CallerFilePath] string sourceFile = "")
    {
        for (var directory = Path.GetDirectoryName(sourceFile); directory is not null; directory = Path.GetDirectoryName(directory))
        {
            if (File.Exists(Path.Combine(directory, "AgentStateProcessor.sln"))) return directory;
        }
        throw new DirectoryNotFoundException($"No AgentStateProcessor.sln above {sourceFile}.");
    }
}
