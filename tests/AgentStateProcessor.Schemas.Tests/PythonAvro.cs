using System.Diagnostics;
using System.Text.Json;

namespace AgentStateProcessor.Schemas.Tests;

/// <summary>Debian's python3-avro (Apache Avro 1.11.1), an implementation independent of ours.</summary>
internal static class PythonAvro
{
    private const string Python = "/usr/bin/python3";

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
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(ParseScript);
        foreach (var path in paths) start.ArgumentList.Add(path);
        using var process = Process.Start(start)!;
        var stdoutTask = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        var stdout = stdoutTask.GetAwaiter().GetResult();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{Python} failed (is python3-avro installed? scripts/install-deps.sh installs it): {stderr}");
        var results = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(stdout)!;
        return results.ToDictionary(
            pair => pair.Key,
            pair => new Parsed(
                pair.Value.TryGetProperty("fullname", out var name) ? name.GetString() : null,
                pair.Value.TryGetProperty("canonical", out var canonical) ? canonical.GetString() : null,
                pair.Value.TryGetProperty("error", out var error) ? error.GetString() : null));
    }
}
