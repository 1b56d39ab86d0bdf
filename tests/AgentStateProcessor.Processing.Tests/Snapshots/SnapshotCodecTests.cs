using System.Buffers.Binary;
using AgentStateProcessor.Avro;
using AgentStateProcessor.Domain;
using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.Processing.Snapshots;
using AgentStateProcessor.Processing.Tests.Support;

namespace AgentStateProcessor.Processing.Tests.Snapshots;

public sealed class SnapshotCodecTests
{
    private static readonly AgentState Agent = AgentState.Initial("t1", "agent42", 1_795_770_000_000_000, new InputPosition("voice-agentstate", 0, 3));
    private static readonly DnState Dn = DnState.Initial("t1", "5001", 1_795_770_000_000_000, new InputPosition("voice-agentstate", 0, 3));

    public static TheoryData<string> SnapshotFiles => new() { "AgentSnapshot.avsc", "DnSnapshot.avsc" };

    [Fact]
    public void Without_a_registry_an_agent_snapshot_is_C3_01_then_the_little_endian_fingerprint_then_the_body()
    {
        var record = SnapshotMapper.ToRecord(Agent);

        var bytes = SnapshotCodec.Encode(record, registrySchemaId: null);

        Assert.Equal([0xC3, 0x01], bytes[..2]);
        Assert.Equal(SnapshotSchemas.Agent.Fingerprint64, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(2, 8)));
        Assert.Equal(AvroBinary.Encode(SnapshotSchemas.Agent, record), bytes[SingleObjectEncoding.HeaderLength..]);
    }

    [Fact]
    public void Without_a_registry_a_dn_snapshot_carries_the_dn_schema_fingerprint()
    {
        var bytes = SnapshotCodec.Encode(SnapshotMapper.ToRecord(Dn), registrySchemaId: null);

        Assert.Equal([0xC3, 0x01], bytes[..2]);
        Assert.Equal(SnapshotSchemas.Dn.Fingerprint64, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(2, 8)));
        Assert.NotEqual(SnapshotSchemas.Agent.Fingerprint64, SnapshotSchemas.Dn.Fingerprint64);
    }

    [Theory]
    [MemberData(nameof(SnapshotFiles))]
    public void The_embedded_snapshot_schemas_are_the_committed_files(string file)
    {
        var committed = AvroSchema.Parse(File.ReadAllText(Repository.PathOf("schemas", "snapshots", file)));
        var embedded = file.StartsWith("Agent", StringComparison.Ordinal) ? SnapshotSchemas.Agent : SnapshotSchemas.Dn;

        Assert.Equal(committed.ToCanonicalForm(), embedded.ToCanonicalForm());
    }

    [Fact]
    public void With_a_registry_a_snapshot_is_magic_zero_then_the_big_endian_schema_id_then_the_body()
    {
        var record = SnapshotMapper.ToRecord(Dn);

        var bytes = SnapshotCodec.Encode(record, registrySchemaId: 0x01020304);

        Assert.Equal([0x00, 0x01, 0x02, 0x03, 0x04], bytes[..ConfluentWireFormat.HeaderLength]);
        Assert.Equal(AvroBinary.Encode(SnapshotSchemas.Dn, record), bytes[ConfluentWireFormat.HeaderLength..]);
        Assert.Equal(record, SnapshotCodec.Decode(SnapshotSchemas.Dn, bytes));
    }

    [Fact]
    public void Decoding_with_the_other_snapshot_schema_is_refused_by_the_fingerprint()
    {
        var agentBytes = SnapshotCodec.Encode(SnapshotMapper.ToRecord(Agent), null);

        var error = Assert.ThrowsAny<AvroException>(() => SnapshotCodec.Decode(SnapshotSchemas.Dn, agentBytes));
        Assert.Contains("fingerprint", error.Message);
    }

    [Fact]
    public void Decoding_bytes_that_are_no_snapshot_throws_an_Avro_exception()
    {
        Assert.ThrowsAny<AvroException>(() => SnapshotCodec.Decode(SnapshotSchemas.Agent, "{\"state\":1}"u8));
        Assert.ThrowsAny<AvroException>(() => SnapshotCodec.Decode(SnapshotSchemas.Agent, [0xC3, 0x01, 1, 2]));
        var truncated = SnapshotCodec.Encode(SnapshotMapper.ToRecord(Agent), null)[..^1];
        Assert.ThrowsAny<AvroException>(() => SnapshotCodec.Decode(SnapshotSchemas.Agent, truncated));
    }
}
