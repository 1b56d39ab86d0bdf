using AgentStateProcessor.Processing.Snapshots;
using Avro;
using Avro.Generic;

namespace AgentStateProcessor.Kafka;

/// <summary>
/// How snapshot values are written to the snapshot topics and read back when state is restored; agent
/// state changes are written the same way to the change topic.
/// Two formats exist: Avro single-object encoding without a schema registry, and the Confluent wire
/// format through the registry (<see cref="SchemaRegistry.RegistrySnapshotFormat"/>).
/// </summary>
internal interface ISnapshotFormat
{
    /// <summary>For the start-up log line.</summary>
    string Description { get; }

    byte[] Serialize(string topic, GenericRecord snapshot);

    /// <exception cref="InvalidDataException">The value is not a snapshot of <paramref name="schema"/>.</exception>
    GenericRecord Deserialize(string topic, RecordSchema schema, byte[] value);
}

/// <summary>Avro single-object encoding: any consumer holding the <c>.avsc</c> files decodes it, no registry needed.</summary>
internal sealed class SingleObjectSnapshotFormat : ISnapshotFormat
{
    public static SingleObjectSnapshotFormat Instance { get; } = new();

    public string Description => "Avro single-object encoding";

    public byte[] Serialize(string topic, GenericRecord snapshot) => SnapshotCodec.Encode(snapshot);

    public GenericRecord Deserialize(string topic, RecordSchema schema, byte[] value)
    {
        try
        {
            return SnapshotCodec.Decode(schema, value);
        }
        catch (AvroException e)
        {
            throw new InvalidDataException(e.Message, e);
        }
    }
}
