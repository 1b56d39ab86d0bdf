using System.Text.Json;
using System.Text.RegularExpressions;
using AgentStateProcessor.TestSupport;

namespace AgentStateProcessor.Deployment.Tests.Support;

/// <summary>deploy/Dockerfile as instructions (continuation lines joined, comments dropped), grouped by stage.</summary>
internal sealed partial class Dockerfile
{
    public static readonly string FilePath = RepositoryRoot.PathOf("deploy", "Dockerfile");

    private Dockerfile(IReadOnlyList<Instruction> instructions) => Instructions = instructions;

    public IReadOnlyList<Instruction> Instructions { get; }

    public IEnumerable<Instruction> Stage(string name)
    {
        var inStage = false;
        foreach (var instruction in Instructions)
        {
            if (instruction.Keyword == "FROM")
            {
                inStage = instruction.Arguments.EndsWith(" AS " + name, StringComparison.OrdinalIgnoreCase);
            }
            if (inStage)
            {
                yield return instruction;
            }
        }
    }

    /// <summary>The build stage's one RUN: the publish command, writing to <see cref="PublishDirectory"/>.</summary>
    public string PublishCommand => Stage("build").Single(i => i.Keyword == "RUN").Arguments;

    public const string PublishDirectory = "/app/publish";

    /// <summary>The runtime stage's ENTRYPOINT, in exec form.</summary>
    public IReadOnlyList<string> EntryPoint =>
        JsonSerializer.Deserialize<string[]>(Stage("runtime").Single(i => i.Keyword == "ENTRYPOINT").Arguments) ?? [];

    /// <summary>The variables the runtime stage's ENV instruction sets (unquoted <c>NAME=value</c> pairs).</summary>
    public IReadOnlyDictionary<string, string> RuntimeEnvironment =>
        Stage("runtime").Single(i => i.Keyword == "ENV").Arguments.Split(' ')
            .Select(pair => pair.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);

    public static Dockerfile Load()
    {
        var instructions = new List<Instruction>();
        var pending = "";
        foreach (var raw in File.ReadAllLines(FilePath))
        {
            var line = raw.Trim();
            if (pending.Length == 0 && (line.Length == 0 || line.StartsWith('#')))
            {
                continue;
            }
            if (line.EndsWith('\\'))
            {
                pending += line[..^1].TrimEnd() + " ";
                continue;
            }
            var full = Whitespace().Replace(pending + line, " ");
            pending = "";
            var space = full.IndexOf(' ');
            instructions.Add(new Instruction(full[..space].ToUpperInvariant(), full[(space + 1)..]));
        }
        return new Dockerfile(instructions);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

internal sealed record Instruction(string Keyword, string Arguments);
