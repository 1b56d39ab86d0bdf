using System.Buffers.Binary;
using System.Security.Cryptography;
using Avro;
using Avro.Generic;
using Avro.IO;
using AgentStateProcessor.Domain;
using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.Processing.Snapshots;
using AgentStateProcessor.Processing.Tests.Support;
using AgentStateProcessor.Schemas;
using AgentStateProcessor.TestSupport;

namespace AgentStateProcessor.Processing.Tests.Snapshots;

public sealed class SnapshotCodecTests
{
    private static readonly AgentState Agent = AgentState.Initial("t1", "agent42", 1_795_770_000_000_000, new InputPosition("voice-agentstate", 0, 3));
    private static readonly DnState Dn = DnState.Initial("t1", "5001", 1_795_770_000_000_000, new InputPosition("voice-agentstate", 0, 3));

    public static TheoryData<string> SnapshotFiles => new() { "AgentSnapshot.avsc", "DnSnapshot.avsc" };

    /// <summary>The Avro binary body alone, as Apache.Avro writes it.</summary>
    private static byte[] Body(GenericRecord record)
    {
        using var stream = new MemoryStream();
        new GenericDatumWriter<GenericRecord>(record.Schema).Write(record, new BinaryEncoder(stream));
        return stream.ToArray();
    }

    [Fact]
    public void Without_a_registry_an_agent_snapshot_is_C3_01_then_the_little_endian_fingerprint_then_the_body()
    {
        var record = SnapshotMapper.ToRecord(Agent);

        var bytes = SnapshotCodec.Encode(record);

        Assert.Equal([0xC3, 0x01], bytes[..2]);
        Assert.Equal((ulong)SchemaNormalization.ParsingFingerprint64(SnapshotSchemas.Agent), BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(2, 8)));
        Assert.Equal(Body(record), bytes[SnapshotCodec.SingleObjectHeaderLength..]);
    }

    [Fact]
    public void Without_a_registry_a_dn_snapshot_carries_the_dn_schema_fingerprint()
    {
        var bytes = SnapshotCodec.Encode(SnapshotMapper.ToRecord(Dn));

        Assert.Equal([0xC3, 0x01], bytes[..2]);
        Assert.Equal(SnapshotCodec.FingerprintOf(SnapshotSchemas.Dn), BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(2, 8)));
        Assert.NotEqual(SnapshotCodec.FingerprintOf(SnapshotSchemas.Agent), SnapshotCodec.FingerprintOf(SnapshotSchemas.Dn));
    }

    [Theory]
    [MemberData(nameof(SnapshotFiles))]
    public void The_embedded_snapshot_schemas_are_the_committed_files(string file)
    {
        var committed = File.ReadAllText(RepositoryRoot.PathOf("schemas", "snapshots", file));
        var isAgent = file.StartsWith("Agent", StringComparison.Ordinal);

        Assert.Equal(committed, EmbeddedSchemas.ReadText(isAgent ? SnapshotSchemas.AgentPath : SnapshotSchemas.DnPath));
        Assert.Equal(
            SchemaNormalization.ToParsingForm(Schema.Parse(committed)),
            SchemaNormalization.ToParsingForm(isAgent ? SnapshotSchemas.Agent : SnapshotSchemas.Dn));
    }

    [Fact]
    public void Decoding_with_the_other_snapshot_schema_is_refused_by_the_fingerprint()
    {
        var agentBytes = SnapshotCodec.Encode(SnapshotMapper.ToRecord(Agent));

        var error = Assert.ThrowsAny<AvroException>(() => SnapshotCodec.Decode(SnapshotSchemas.Dn, agentBytes));
        Assert.Contains("fingerprint", error.Message);
    }

    [Fact]
    public void Decoding_bytes_that_are_no_snapshot_throws_an_Avro_exception()
    {
        Assert.ThrowsAny<AvroException>(() => SnapshotCodec.Decode(SnapshotSchemas.Agent, "{\"state\":1}"u8));
        Assert.ThrowsAny<AvroException>(() => SnapshotCodec.Decode(SnapshotSchemas.Agent, [0xC3, 0x01, 1, 2]));
        var encoded = SnapshotCodec.Encode(SnapshotMapper.ToRecord(Agent));
        for (var length = SnapshotCodec.SingleObjectHeaderLength; length < encoded.Length; length++)
        {
            Assert.ThrowsAny<AvroException>(() => SnapshotCodec.Decode(SnapshotSchemas.Agent, encoded[..length]));
        }
        Assert.ThrowsAny<AvroException>(() => SnapshotCodec.Decode(SnapshotSchemas.Agent, [.. encoded, 0]));
    }

    /// <summary>
    /// SHA-256 of the snapshot bytes of a seeded feed's states and of seeded random states. The
    /// digest was taken when the codec also wrote the Confluent framing, which Confluent's serializer
    /// does now; the test frames those bodies itself so the digest still pins the same bytes. The committed digest pins the bytes: a change of encoder or mapping that changes
    /// the bytes of the same state fails here, where folding twice in one process could not tell.
    /// </summary>
    [Fact]
    public void Snapshot_bytes_are_those_of_the_committed_reference()
    {
        var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var processor = new LocalProcessor(Inputs.Intake());
        foreach (var record in VoiceFeed.Generate(seed: 42, count: 3000)) processor.Process(record);
        foreach (var (_, agent) in processor.Agents.All.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            digest.AppendData(SnapshotCodec.Encode(SnapshotMapper.ToRecord(agent)));
        }
        foreach (var (_, dn) in processor.Dns.All.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            digest.AppendData(SnapshotCodec.Encode(SnapshotMapper.ToRecord(dn)));
        }
        var random = new Random(7);
        for (var i = 0; i < 200; i++)
        {
            digest.AppendData(SnapshotCodec.Encode(SnapshotMapper.ToRecord(RandomStates.Agent(random, withNullables: i % 2 == 0))));
            digest.AppendData(ConfluentFramed(schemaId: 3, SnapshotCodec.Encode(SnapshotMapper.ToRecord(RandomStates.Dn(random, withNullables: i % 2 == 1, inputPartitions: i % 5)))));
        }

        Assert.Equal((15, 12), (processor.Agents.All.Count(), processor.Dns.All.Count()));
        Assert.Equal("787E6B42664AB1709605B3A796AC3D808187F7564B81CD92F217454CFDAD82E4", Convert.ToHexString(digest.GetHashAndReset()));
    }

    /// <summary>The Confluent wire format around a single-object snapshot's body: magic 0, the schema id big-endian, the body.</summary>
    private static byte[] ConfluentFramed(int schemaId, byte[] singleObject)
    {
        var framed = new byte[5 + singleObject.Length - SnapshotCodec.SingleObjectHeaderLength];
        BinaryPrimitives.WriteInt32BigEndian(framed.AsSpan(1), schemaId);
        singleObject.AsSpan(SnapshotCodec.SingleObjectHeaderLength).CopyTo(framed.AsSpan(5));
        return framed;
    }
}
