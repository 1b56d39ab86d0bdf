using AgentStateProcessor.TestSupport;
using System.Text.Json.Nodes;
using System.Collections;
using Avro.Generic;
using AgentStateProcessor.Processing.Snapshots;
using AgentStateProcessor.Processing.Tests.Support;

namespace AgentStateProcessor.Processing.Tests.Snapshots;

/// <summary>
/// Snapshot bytes (Apache.Avro's body behind our single-object header) against an independent Avro
/// implementation (Apache Avro 1.11.1 for Python) holding only the committed .avsc files, as a
/// downstream consumer would.
/// </summary>
public sealed class SnapshotPythonCrossCheckTests
{
    private const int StatesPerKind = 150;

    [Fact]
    public void Python_decodes_our_single_object_snapshots_to_our_values_and_checks_their_fingerprints()
    {
        var random = new Random(2026);
        var records = new List<GenericRecord>();
        for (var i = 0; i < StatesPerKind; i++)
        {
            records.Add(SnapshotMapper.ToRecord(RandomStates.Agent(random, withNullables: i % 2 == 0)));
            records.Add(SnapshotMapper.ToRecord(RandomStates.Dn(random, withNullables: i % 2 == 1, inputPartitions: i % 5)));
        }
        var cases = Cases(decode: records.Select(r => Case(r, new JsonObject { ["hex"] = Convert.ToHexString(SnapshotCodec.Encode(r)) })));

        var results = PythonAvro.RunOracle("snapshot_oracle.py", cases);

        Assert.Equal(SnapshotCodec.FingerprintOf(SnapshotSchemas.Agent).ToString("x16"), (string?)results["fingerprints"]!["agent"]);
        Assert.Equal(SnapshotCodec.FingerprintOf(SnapshotSchemas.Dn).ToString("x16"), (string?)results["fingerprints"]!["dn"]);
        var decoded = results["decoded"]!.AsArray();
        Assert.Equal(records.Count, decoded.Count);
        for (var i = 0; i < records.Count; i++)
        {
            var python = decoded[i]!;
            Assert.Equal("c301", (string?)python["header"]);
            Assert.True((bool)python["fingerprintMatches"]!, $"record {i}: python computes another fingerprint than {(string?)python["fingerprint"]}");
            Assert.Equal(0, (int)python["trailingBytes"]!);
            var ours = PlainDatum(records[i])!;
            Assert.True(JsonNode.DeepEquals(ours, python["datum"]), $"record {i}:\nours:   {ours.ToJsonString()}\npython: {python["datum"]!.ToJsonString()}");
        }
    }

    [Fact]
    public void We_decode_what_python_encodes_to_the_same_state()
    {
        var random = new Random(1121);
        var agents = Enumerable.Range(0, StatesPerKind).Select(i => RandomStates.Agent(random, withNullables: i % 2 == 0)).ToList();
        var dns = Enumerable.Range(0, StatesPerKind).Select(i => RandomStates.Dn(random, withNullables: i % 2 == 0, inputPartitions: i % 4)).ToList();
        var records = agents.Select(SnapshotMapper.ToRecord).Concat(dns.Select(SnapshotMapper.ToRecord)).ToList();
        var cases = Cases(encode: records.Select(r => Case(r, new JsonObject { ["datum"] = PlainDatum(r) })));

        var encoded = PythonAvro.RunOracle("snapshot_oracle.py", cases)["encoded"]!.AsArray().Select(n => Convert.FromHexString((string)n!)).ToList();

        Assert.Equal(records.Count, encoded.Count);
        for (var i = 0; i < agents.Count; i++)
        {
            StateAssert.Equal(agents[i], SnapshotMapper.ToAgentState(SnapshotCodec.Decode(SnapshotSchemas.Agent, encoded[i])));
        }
        for (var i = 0; i < dns.Count; i++)
        {
            var bytes = encoded[agents.Count + i];
            StateAssert.Equal(dns[i], SnapshotMapper.ToDnState(SnapshotCodec.Decode(SnapshotSchemas.Dn, bytes)));
            // Python writes the map in the order it was given, which is ours: so the bytes are ours too.
            Assert.Equal(SnapshotCodec.Encode(records[agents.Count + i]), bytes);
        }
    }

    private static JsonObject Cases(IEnumerable<JsonObject>? decode = null, IEnumerable<JsonObject>? encode = null) => new()
    {
        ["schemas"] = new JsonObject
        {
            ["agent"] = RepositoryRoot.PathOf("schemas", "snapshots", "AgentSnapshot.avsc"),
            ["dn"] = RepositoryRoot.PathOf("schemas", "snapshots", "DnSnapshot.avsc"),
        },
        ["decode"] = new JsonArray([.. decode ?? []]),
        ["encode"] = new JsonArray([.. encode ?? []]),
    };

    private static JsonObject Case(GenericRecord record, JsonObject payload)
    {
        payload["schema"] = record.Schema.Name == "AgentSnapshot" ? "agent" : "dn";
        return payload;
    }

    /// <summary>The value as a consumer means it: unions unwrapped, enums as symbols, timestamps as epoch microseconds.</summary>
    internal static JsonNode? PlainDatum(object? value) => value switch
    {
        null => null,
        GenericRecord record => new JsonObject(record.Schema.Fields.Select(f => KeyValuePair.Create(f.Name, PlainDatum(record.GetValue(f.Pos))))),
        GenericEnum symbol => JsonValue.Create(symbol.Value),
        IDictionary<string, object> map => new JsonObject(map.Select(p => KeyValuePair.Create(p.Key, PlainDatum(p.Value)))),
        string text => JsonValue.Create(text),
        IEnumerable items => new JsonArray([.. items.Cast<object?>().Select(PlainDatum)]),
        bool flag => JsonValue.Create(flag),
        int number => JsonValue.Create(number),
        long number => JsonValue.Create(number),
        DateTime instant => JsonValue.Create(SnapshotMapper.Micros(instant)),
        _ => throw new ArgumentException($"no plain form for {value.GetType()}"),
    };
}
