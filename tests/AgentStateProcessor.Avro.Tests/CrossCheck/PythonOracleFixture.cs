using AgentStateProcessor.TestSupport;
using System.Text;
using System.Text.Json.Nodes;
using AgentStateProcessor.Avro.Tests.Support;

namespace AgentStateProcessor.Avro.Tests.CrossCheck;

/// <summary>What our codec made of one schema case, beside what python3-avro made of it.</summary>
public sealed class CrossCheckedCase(SchemaCase source, AvroSchema? schema, string? parseError, IReadOnlyList<OurDatum> datums, JsonNode python)
{
    public SchemaCase Source { get; } = source;
    public AvroSchema? Schema { get; } = schema;
    public string? ParseError { get; } = parseError;
    public IReadOnlyList<OurDatum> Datums { get; } = datums;
    public JsonNode Python { get; } = python;
}

public sealed record OurDatum(object? Value, byte[] Bytes, string Json);

/// <summary>
/// Encodes random values for every corpus schema (and every committed .avsc) on our side, then runs python3-avro once
/// over all of them, so the whole cross-check costs one python start.
/// </summary>
public sealed class PythonOracleFixture
{
    private const int DatumsPerHandWrittenSchema = 30;
    private const int DatumsPerCommittedSchema = 12;

    public PythonOracleFixture()
    {
        var sources = SchemaCorpus.All();
        var ours = new List<(SchemaCase Source, AvroSchema? Schema, string? Error, List<OurDatum> Datums)>();
        var cases = new JsonArray();
        var handWrittenIds = SchemaCorpus.HandWritten.Select(c => c.Id).ToHashSet();

        foreach (var source in sources)
        {
            AvroSchema? schema = null;
            string? error = null;
            var datums = new List<OurDatum>();
            try
            {
                schema = AvroSchema.Parse(source.Json);
                if (source.WithDatums)
                {
                    var random = new RandomValues(StableSeed(source.Id));
                    var count = handWrittenIds.Contains(source.Id) ? DatumsPerHandWrittenSchema : DatumsPerCommittedSchema;
                    for (var i = 0; i < count; i++)
                    {
                        var value = random.Next(schema);
                        datums.Add(new OurDatum(value, AvroBinary.Encode(schema, value), AvroJson.ToJson(schema, value)));
                    }
                }
            }
            catch (AvroException ex)
            {
                error = ex.ToString();
            }
            ours.Add((source, schema, error, datums));

            var datumArray = new JsonArray();
            foreach (var datum in datums)
            {
                datumArray.Add(new JsonObject { ["json"] = datum.Json, ["bytes"] = Convert.ToHexStringLower(datum.Bytes) });
            }
            cases.Add(new JsonObject
            {
                ["id"] = source.Id,
                ["schema"] = source.Json,
                ["fullJson"] = schema?.ToString() ?? source.Json,
                ["datums"] = datumArray,
            });
        }

        var bytesRandom = new Random(20261121);
        RawBytes = [.. Enumerable.Range(0, 64).Select(i => { var bytes = new byte[bytesRandom.Next(0, 100)]; bytesRandom.NextBytes(bytes); return bytes; })];
        var rawBytes = new JsonArray([.. RawBytes.Select(b => JsonValue.Create(Convert.ToHexStringLower(b)))]);

        Results = PythonAvro.RunOracle("avro_oracle.py", new JsonObject { ["cases"] = cases, ["rawBytes"] = rawBytes });
        var pythonById = new Dictionary<string, JsonNode>();
        foreach (var result in Results["results"]!.AsArray())
        {
            pythonById[result!["id"]!.GetValue<string>()] = result;
        }
        Cases = ours.ToDictionary(
            c => c.Source.Id,
            c => new CrossCheckedCase(c.Source, c.Schema, c.Error, c.Datums, pythonById[c.Source.Id]));
    }

    public JsonNode Results { get; }

    /// <summary>Random byte strings whose CRC-64-AVRO python computed too, to test the table over all byte values.</summary>
    public IReadOnlyList<byte[]> RawBytes { get; }

    public IReadOnlyDictionary<string, CrossCheckedCase> Cases { get; }

    /// <summary>The case, with our parse asserted to have succeeded.</summary>
    public (AvroSchema Schema, CrossCheckedCase Case) Parsed(string id)
    {
        var found = Cases[id];
        Assert.True(found.ParseError is null, $"We could not parse {id}: {found.ParseError}");
        var pythonError = found.Python["error"]?.GetValue<string>();
        Assert.True(pythonError is null, $"python3-avro could not handle {id}: {pythonError}");
        return (found.Schema!, found);
    }

    // string.GetHashCode differs per process; a fingerprint of the id keeps the random values reproducible.
    private static int StableSeed(string id) => (int)Crc64Avro.Compute(Encoding.UTF8.GetBytes(id));
}
