using System.Text.Json;
using AgentStateProcessor.TestSupport;

namespace AgentStateProcessor.Schemas.Tests;

/// <summary>Parses schema files with python3-avro, an Avro implementation independent of ours.</summary>
internal static class PythonSchemaParser
{

    private const string ParseScript = """
        import json, sys
        import avro.schema
        results = {}
        for path in sys.argv[1:]:
            try:
                schema = avro.schema.parse(open(path, encoding="utf-8").read())
                results[path] = {"fullname": schema.fullname, "canonical": schema.canonical_form}
            except Exception as e:
                results[path] = {"error": type(e).__name__ + ": " + str(e)}
        json.dump(results, sys.stdout)
        """;

    public sealed record Parsed(string? FullName, string? Canonical, string? Error);

    /// <summary>Parses every file in one python process; per file, its full name and Parsing Canonical Form, or the error.</summary>
    public static IReadOnlyDictionary<string, Parsed> ParseAll(IEnumerable<string> paths)
    {
        PythonAvro.EnsureAvailable();
        var (exitCode, stdout, stderr) = PythonAvro.Run(["-c", ParseScript, .. paths]);
        Assert.True(exitCode == 0, $"{PythonAvro.Interpreter} failed to parse the schemas: {stderr}");
        var results = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(stdout)!;
        return results.ToDictionary(
            pair => pair.Key,
            pair => new Parsed(
                pair.Value.TryGetProperty("fullname", out var name) ? name.GetString() : null,
                pair.Value.TryGetProperty("canonical", out var canonical) ? canonical.GetString() : null,
                pair.Value.TryGetProperty("error", out var error) ? error.GetString() : null));
    }
}
