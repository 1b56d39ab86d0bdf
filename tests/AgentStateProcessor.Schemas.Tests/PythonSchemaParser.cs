using System.Text.Json;
using AgentStateProcessor.TestSupport;

namespace AgentStateProcessor.Schemas.Tests;

/// <summary>Parses schema files with python3-avro, an Avro implementation independent of Apache.Avro for .NET.</summary>
internal static class PythonSchemaParser
{

    private const string ParseScript = """
        import json, sys
        sys.path.insert(0, sys.argv[1])
        import avro.schema
        from avro_spec import canonical_form, fingerprint

        results = {}
        for path in sys.argv[2:]:
            try:
                schema = avro.schema.parse(open(path, encoding="utf-8").read())
                results[path] = {
                    "fullname": schema.fullname,
                    "canonical": schema.canonical_form,
                    "specCanonical": canonical_form(schema),
                    "fingerprint": "%016x" % fingerprint(schema),
                }
            except Exception as e:
                results[path] = {"error": type(e).__name__ + ": " + str(e)}
        json.dump(results, sys.stdout)
        """;

    /// <param name="Canonical">python's Parsing Canonical Form, as it writes it.</param>
    /// <param name="SpecCanonical">The same with the specification's rule for primitives applied (tests/Shared/Python/avro_spec.py).</param>
    /// <param name="SpecFingerprint">CRC-64-AVRO (computed in python, bit by bit) of <paramref name="SpecCanonical"/>.</param>
    public sealed record Parsed(string? FullName, string? Canonical, string? SpecCanonical, string? SpecFingerprint, string? Error);

    /// <summary>Parses every file in one python process; per file, its full name, Parsing Canonical Form and fingerprint, or the error.</summary>
    public static IReadOnlyDictionary<string, Parsed> ParseAll(IEnumerable<string> paths)
    {
        PythonAvro.EnsureAvailable();
        var (exitCode, stdout, stderr) = PythonAvro.Run(["-c", ParseScript, Path.Combine(AppContext.BaseDirectory, "Python"), .. paths]);
        Assert.True(exitCode == 0, $"{PythonAvro.Interpreter} failed to parse the schemas: {stderr}");
        var results = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(stdout)!;
        return results.ToDictionary(
            pair => pair.Key,
            pair => new Parsed(
                pair.Value.TryGetProperty("fullname", out var name) ? name.GetString() : null,
                pair.Value.TryGetProperty("canonical", out var canonical) ? canonical.GetString() : null,
                pair.Value.TryGetProperty("specCanonical", out var specCanonical) ? specCanonical.GetString() : null,
                pair.Value.TryGetProperty("fingerprint", out var fingerprint) ? fingerprint.GetString() : null,
                pair.Value.TryGetProperty("error", out var error) ? error.GetString() : null));
    }
}
