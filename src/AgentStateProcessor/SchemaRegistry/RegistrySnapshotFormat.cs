using AgentStateProcessor.Configuration;
using AgentStateProcessor.Kafka;
using AgentStateProcessor.Processing.Changes;
using AgentStateProcessor.Processing.Snapshots;
using Avro;
using Avro.Generic;
using Confluent.SchemaRegistry;
using Microsoft.Extensions.Logging;

namespace AgentStateProcessor.SchemaRegistry;

/// <summary>
/// Snapshots in the Confluent wire format: written by Confluent's serializer under the configured
/// subject name strategy, read back on restore by Confluent's deserializer with the writer's schema
/// from the registry, so snapshots written under an older schema version still restore.
/// </summary>
internal sealed class RegistrySnapshotFormat : ISnapshotFormat
{
    private readonly Dictionary<string, SnapshotAvroSerializer> _serializers;
    private readonly RegistryAvroDecoder _decoder;

    private RegistrySnapshotFormat(Dictionary<string, SnapshotAvroSerializer> serializers, RegistryAvroDecoder decoder)
    {
        _serializers = serializers;
        _decoder = decoder;
    }

    public string Description => "Confluent wire format (schema registry)";

    /// <summary>Registers (or looks up) both snapshot schemas and the change schema before the first record, so producing never waits on the registry.</summary>
    public static async Task<RegistrySnapshotFormat> CreateAsync(ISchemaRegistryClient registry, SchemaRegistryOptions options,
        TopicOptions topics, ILogger logger, CancellationToken cancellationToken)
    {
        var serializers = new Dictionary<string, SnapshotAvroSerializer>(StringComparer.Ordinal)
        {
            [topics.AgentSnapshots] = new(registry, options, topics.AgentSnapshots, SnapshotSchemas.Agent),
            [topics.DnSnapshots] = new(registry, options, topics.DnSnapshots, SnapshotSchemas.Dn),
            [topics.AgentStateChanges] = new(registry, options, topics.AgentStateChanges, AgentStateChangeMapper.Schema),
        };
        foreach (var serializer in serializers.Values)
        {
            var id = await serializer.EnsureRegisteredAsync(cancellationToken);
            logger.LogInformation("Records of {Topic} are written with schema id {SchemaId} (subject {Subject})", serializer.Topic, id, serializer.Subject);
        }
        return new RegistrySnapshotFormat(serializers, new RegistryAvroDecoder(registry));
    }

    public byte[] Serialize(string topic, GenericRecord snapshot) => _serializers[topic].Serialize(snapshot);

    public GenericRecord Deserialize(string topic, RecordSchema schema, byte[] value)
    {
        var result = _decoder.Decode(value, topic);
        if (result.Record is not { } record) throw new InvalidDataException($"{result.Code}: {result.Reason}");
        if (record.Schema.Fullname != schema.Fullname)
        {
            throw new InvalidDataException($"the snapshot is a {record.Schema.Fullname} record, not a {schema.Fullname}");
        }
        return record;
    }
}
