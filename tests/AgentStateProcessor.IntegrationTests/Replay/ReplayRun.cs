using System.Text.Json;
using AgentStateProcessor.Commands;

namespace AgentStateProcessor.IntegrationTests.Replay;

/// <summary>One run of the replay command with its exit code and both output streams.</summary>
internal sealed record ReplayRun(int ExitCode, string Output, string Log)
{
    public static ReplayRun Of(params string[] args)
    {
        using var output = new StringWriter();
        using var log = new StringWriter();
        var exitCode = ReplayCommand.Run(args, output, log);
        return new ReplayRun(exitCode, output.ToString(), log.ToString());
    }

    public string[] LogLines => Log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The result document; asserts the run succeeded first so a failure shows the command's own message.</summary>
    public JsonElement Result()
    {
        Assert.True(ExitCode == 0, $"exit code {ExitCode}:\n{Log}");
        using var document = JsonDocument.Parse(Output);
        return document.RootElement.Clone();
    }
}

/// <summary>A temporary folder for the input files a test writes; deleted afterwards.</summary>
public sealed class ReplayFiles : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("replay-tests-");

    public string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_directory.FullName, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    public string PathOf(string name) => Path.Combine(_directory.FullName, name);

    public void Dispose() => _directory.Delete(recursive: true);
}
