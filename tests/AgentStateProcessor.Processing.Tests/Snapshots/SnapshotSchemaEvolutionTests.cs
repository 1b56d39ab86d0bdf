using System.Text.Json.Nodes;
using Avro;
using Avro.Generic;
using AgentStateProcessor.Domain;
using AgentStateProcessor.Processing.Snapshots;
using AgentStateProcessor.Processing.Tests.Support;
using AgentStateProcessor.TestSupport;

namespace AgentStateProcessor.Processing.Tests.Snapshots;

/// <summary>
/// The DN snapshot schema gained <c>messageWaiting</c> (default false) after its first version, kept as
/// schemas/snapshots/previous/DnSnapshot.v1.avsc. Both directions are proved against python3-avro: a consumer
/// holding the first version reads new snapshots, and new readers (python's and ours) read snapshots of the first
/// version. Python's ReaderWriterCompatibilityChecker judges the change as a registry would.
/// </summary>
public sealed class SnapshotSchemaEvolutionTests
{
    private const int States = 120;
    private static readonly string FirstVersionPath = RepositoryRoot.PathOf("schemas", "snapshots", "previous", "DnSnapshot.v1.avsc");
    private static readonly RecordSchema FirstVersion = (RecordSchema)Schema.Parse(File.ReadAllText(FirstVersionPath));

    [Fact]
    public void The_first_version_is_the_current_schema_without_messageWaiting()
    {
        Assert.Equal(
            SnapshotSchemas.Dn.Fields.Select(f => f.Name).Where(name => name != "messageWaiting"),
            FirstVersion.Fields.Select(f => f.Name));
        Assert.Equal(SnapshotSchemas.Dn.Fullname, FirstVersion.Fullname);
        Assert.Contains(SnapshotSchemas.Previous, earlier => SchemaNormalization.ParsingFingerprint64(earlier) == SchemaNormalization.ParsingFingerprint64(FirstVersion));
        Assert.NotEqual(SnapshotCodec.FingerprintOf(SnapshotSchemas.Dn), (ulong)SchemaNormalization.ParsingFingerprint64(FirstVersion));
        var added = SnapshotSchemas.Dn["messageWaiting"];
        Assert.Equal((Schema.Type.Boolean, "false"), (added.Schema.Tag, added.DefaultValue?.ToString(Newtonsoft.Json.Formatting.None)));
    }

    [Fact]
    public void A_consumer_holding_the_first_version_reads_new_snapshots_python_resolving_them_to_its_schema()
    {
        var random = new Random(311);
        var records = Enumerable.Range(0, States)
            .Select(i => SnapshotMapper.ToRecord(RandomStates.Dn(random, withNullables: i % 2 == 0, inputPartitions: i % 4)))
            .ToList();
        Assert.Contains(records, r => (bool)r["messageWaiting"]);
        var cases = Cases(decode: records.Select(r => new JsonObject
        {
            ["schema"] = "dn",
            ["reader"] = "dnV1",
            ["hex"] = Convert.ToHexString(SnapshotCodec.Encode(r)),
        }));

        var decoded = PythonAvro.RunOracle("snapshot_oracle.py", cases)["decoded"]!.AsArray();

        Assert.Equal(records.Count, decoded.Count);
        for (var i = 0; i < records.Count; i++)
        {
            var expected = (JsonObject)PlainDatum(records[i])!;
            expected.Remove("messageWaiting");
            Assert.True((bool)decoded[i]!["fingerprintMatches"]!);
            Assert.True(JsonNode.DeepEquals(expected, decoded[i]!["datum"]), $"record {i}:\nexpected: {expected.ToJsonString()}\npython:   {decoded[i]!["datum"]!.ToJsonString()}");
        }
    }

    [Fact]
    public void Snapshots_python_writes_with_the_first_version_decode_to_the_same_state_without_a_message_waiting()
    {
        var random = new Random(1808);
        var states = Enumerable.Range(0, States)
            .Select(i => RandomStates.Dn(random, withNullables: i % 2 == 1, inputPartitions: i % 5) with { MessageWaiting = false })
            .ToList();
        var cases = Cases(encode: states.Select(s =>
        {
            var datum = (JsonObject)PlainDatum(SnapshotMapper.ToRecord(s))!;
            datum.Remove("messageWaiting");
            return new JsonObject { ["schema"] = "dnV1", ["datum"] = datum };
        }));

        var results = PythonAvro.RunOracle("snapshot_oracle.py", cases);
        var oldSnapshots = results["encoded"]!.AsArray().Select(n => Convert.FromHexString((string)n!)).ToList();

        Assert.Equal(SchemaNormalization.ParsingFingerprint64(FirstVersion).ToString("x16"), (string?)results["fingerprints"]!["dnV1"]);
        for (var i = 0; i < states.Count; i++)
        {
            var record = SnapshotCodec.Decode(SnapshotSchemas.Dn, oldSnapshots[i]);
            Assert.Same(SnapshotSchemas.Dn, record.Schema);
            Assert.False((bool)record["messageWaiting"]);
            StateAssert.Equal(states[i], SnapshotMapper.ToDnState(record));
        }

        var pythonReadsThemAsNew = PythonAvro.RunOracle("snapshot_oracle.py", Cases(decode: oldSnapshots.Select(bytes => new JsonObject
        {
            ["schema"] = "dnV1",
            ["reader"] = "dn",
            ["hex"] = Convert.ToHexString(bytes),
        })))["decoded"]!.AsArray();
        Assert.All(pythonReadsThemAsNew, d => Assert.False((bool)d!["datum"]!["messageWaiting"]!));
    }

    [Fact]
    public void A_record_still_of_the_first_version_maps_to_a_DN_without_a_message_waiting()
    {
        var state = RandomStates.Dn(new Random(5), withNullables: true, inputPartitions: 2) with { MessageWaiting = false };
        var current = SnapshotMapper.ToRecord(state);
        var old = new GenericRecord(FirstVersion);
        foreach (var field in FirstVersion.Fields) old.Add(field.Name, current[field.Name]);

        StateAssert.Equal(state, SnapshotMapper.ToDnState(old));
    }

    [Fact]
    public void A_snapshot_of_an_unknown_schema_version_is_still_refused()
    {
        var bytes = SnapshotCodec.Encode(SnapshotMapper.ToRecord(RandomStates.Dn(new Random(9), withNullables: false, inputPartitions: 1)));
        bytes[5] ^= 0xFF;

        var error = Assert.ThrowsAny<AvroException>(() => SnapshotCodec.Decode(SnapshotSchemas.Dn, bytes));

        Assert.Contains("earlier version", error.Message);
    }

    /// <summary>
    /// BACKWARD (the new schema reads old data) and FORWARD (the old schema reads new data), so FULL; the same
    /// field added without a default breaks BACKWARD, as a registry would refuse it.
    /// </summary>
    [Fact]
    public void Python_avro_judges_the_change_fully_compatible_and_the_field_without_a_default_not()
    {
        var withoutDefault = Path.Combine(Directory.CreateTempSubdirectory("dn-snapshot-").FullName, "DnSnapshot.nodefault.avsc");
        var json = JsonNode.Parse(File.ReadAllText(RepositoryRoot.PathOf("schemas", "snapshots", "DnSnapshot.avsc")))!;
        json["fields"]!.AsArray().Single(f => (string?)f!["name"] == "messageWaiting")!.AsObject().Remove("default");
        File.WriteAllText(withoutDefault, json.ToJsonString());
        var cases = Cases();
        cases["schemas"]!["dnNoDefault"] = withoutDefault;
        cases["compatibility"] = new JsonArray(
            Pair("dn", "dnV1"), Pair("dnV1", "dn"), Pair("agent", "agent"), Pair("dnNoDefault", "dnV1"), Pair("dnV1", "dnNoDefault"));

        var results = PythonAvro.RunOracle("snapshot_oracle.py", cases)["compatibility"]!.AsArray();

        Assert.Equal([true, true, true, false, true], results.Select(r => (bool)r!["compatible"]!));
        Assert.Contains("messageWaiting", results[3]!["messages"]!.ToJsonString());
        File.Delete(withoutDefault);

        static JsonObject Pair(string reader, string writer) => new() { ["reader"] = reader, ["writer"] = writer };
    }

    private static JsonObject Cases(IEnumerable<JsonObject>? decode = null, IEnumerable<JsonObject>? encode = null) => new()
    {
        ["schemas"] = new JsonObject
        {
            ["agent"] = RepositoryRoot.PathOf("schemas", "snapshots", "AgentSnapshot.avsc"),
            ["dn"] = RepositoryRoot.PathOf("schemas", "snapshots", "DnSnapshot.avsc"),
            ["dnV1"] = FirstVersionPath,
        },
        ["decode"] = new JsonArray([.. decode ?? []]),
        ["encode"] = new JsonArray([.. encode ?? []]),
    };

    private static JsonNode? PlainDatum(object? value) => SnapshotPythonCrossCheckTests.PlainDatum(value);
}
