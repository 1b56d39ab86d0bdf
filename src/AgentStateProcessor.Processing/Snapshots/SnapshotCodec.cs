using AgentStateProcessor.Avro;

namespace AgentStateProcessor.Processing.Snapshots;

/// <summary>
/// Snapshot value bytes: with a schema registry, the Confluent wire format (magic 0, schema id,
/// Avro body); without one, Avro single-object encoding (C3 01, CRC-64-AVRO fingerprint, body).
/// </summary>
public static class SnapshotCodec
{
    public static byte[] Encode(GenericRecord snapshot, int? registrySchemaId) =>
        registrySchemaId is { } id
            ? ConfluentWireFormat.Frame(id, AvroBinary.Encode(snapshot.Schema, snapshot))
            : SingleObjectEncoding.Encode(snapshot.Schema, snapshot);

    /// <summary>Reads a snapshot this processor wrote, in either framing.</summary>
    /// <exception cref="AvroException">The bytes are not a snapshot of <paramref name="schema"/>.</exception>
    public static GenericRecord Decode(RecordSchema schema, ReadOnlySpan<byte> value)
    {
        var decoded = ConfluentWireFormat.TryParse(value, out _, out var body)
            ? AvroBinary.Decode(schema, body)
            : SingleObjectEncoding.Decode(schema, value);
        return decoded as GenericRecord ?? throw new AvroException($"snapshot is not a {schema.Name} record");
    }
}
