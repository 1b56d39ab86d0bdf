using System.Text.Json;
using AgentStateProcessor.TestSupport;

namespace AgentStateProcessor.Schemas.Tests;

/// <summary>Parses schema files with python3-avro, an Avro implementation independent of Apache.Avro for .NET.</summary>
internal static class PythonSchemaParser
{

    private const string ParseScript = """
        import json, re, sys
        import avro.schema

        CRC64_EMPTY = 0xC15D213AA4D7A795

        def crc64_avro(data):
            fp = CRC64_EMPTY
            for byte in data:
                fp ^= byte
                for _ in range(8):
                    fp = (fp >> 1) ^ (CRC64_EMPTY & -(fp & 1))
            return fp

        def spec_canonical(canonical):
            # python 1.11.1 writes a primitive that carried a logicalType as {"type":"long"}; the specification's
            # [PRIMITIVES] rule makes it "long". That one rule is applied before fingerprinting.
            return re.sub(r'\{"type":"(null|boolean|int|long|float|double|bytes|string)"\}', r'"\1"', canonical)

        results = {}
        for path in sys.argv[1:]:
            try:
                schema = avro.schema.parse(open(path, encoding="utf-8").read())
                fingerprint = crc64_avro(spec_canonical(schema.canonical_form).encode("utf-8"))
                results[path] = {"fullname": schema.fullname, "canonical": schema.canonical_form, "fingerprint": "%016x" % fingerprint}
            except Exception as e:
                results[path] = {"error": type(e).__name__ + ": " + str(e)}
        json.dump(results, sys.stdout)
        """;

    /// <param name="Canonical">python's Parsing Canonical Form, as it writes it.</param>
    /// <param name="SpecFingerprint">CRC-64-AVRO (python's own, bit by bit) of the canonical form with the specification's rule for primitives applied.</param>
    public sealed record Parsed(string? FullName, string? Canonical, string? SpecFingerprint, string? Error);

    /// <summary>Parses every file in one python process; per file, its full name, Parsing Canonical Form and fingerprint, or the error.</summary>
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
                pair.Value.TryGetProperty("fingerprint", out var fingerprint) ? fingerprint.GetString() : null,
                pair.Value.TryGetProperty("error", out var error) ? error.GetString() : null));
    }
}
