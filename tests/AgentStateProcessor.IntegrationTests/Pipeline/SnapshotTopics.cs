using Avro;
using Avro.Generic;
using AgentStateProcessor.Domain;
using AgentStateProcessor.IntegrationTests.Infrastructure;
using AgentStateProcessor.Processing.Snapshots;
using AgentStateProcessor.SchemaRegistry;
using Confluent.Kafka;
using Confluent.SchemaRegistry;

namespace AgentStateProcessor.IntegrationTests.Pipeline;

/// <summary>One snapshot record read back: the state it decodes to and where and how it was written.</summary>
internal sealed record Snapshot<TState>(string Key, TState State, int Partition, long Offset, byte[] Value);

/// <summary>
/// Reads a snapshot topic the way a downstream consumer does (read_committed, from the beginning)
/// and keeps the last snapshot per key, as compaction eventually would.
/// </summary>
internal static class SnapshotTopics
{
    /// <param name="registry">For snapshots in the Confluent wire format: decoded with Confluent's deserializer, as a registry user would.</param>
    public static IReadOnlyDictionary<string, Snapshot<AgentState>> ReadAgents(string bootstrapServers, string topic, ISchemaRegistryClient? registry = null) =>
        ReadLatest(bootstrapServers, topic, SnapshotSchemas.Agent, SnapshotMapper.ToAgentState, registry);

    /// <inheritdoc cref="ReadAgents"/>
    public static IReadOnlyDictionary<string, Snapshot<DnState>> ReadDns(string bootstrapServers, string topic, ISchemaRegistryClient? registry = null) =>
        ReadLatest(bootstrapServers, topic, SnapshotSchemas.Dn, SnapshotMapper.ToDnState, registry);

    private static Dictionary<string, Snapshot<TState>> ReadLatest<TState>(
        string bootstrapServers, string topic, RecordSchema schema, Func<GenericRecord, TState> toState, ISchemaRegistryClient? registry)
    {
        var registryDecoder = registry is null ? null : new RegistryAvroDecoder(registry);
        GenericRecord Decode(byte[] value) => registryDecoder is null
            ? SnapshotCodec.Decode(schema, value)
            : registryDecoder.Decode(value, topic).Record ?? throw new InvalidDataException($"a snapshot of {topic} that Confluent's deserializer cannot read");
        var latest = new Dictionary<string, Snapshot<TState>>(StringComparer.Ordinal);
        foreach (var record in KafkaTestClient.ConsumeAllToEnd(bootstrapServers, topic))
        {
            var key = record.KeyText() ?? throw new InvalidDataException($"snapshot {record.TopicPartitionOffset} has no key");
            var value = record.Message.Value ?? throw new InvalidDataException($"snapshot {record.TopicPartitionOffset} of {key} is a tombstone");
            var snapshot = new Snapshot<TState>(key, toState(Decode(value)), record.Partition.Value, record.Offset.Value, value);
            if (latest.TryGetValue(key, out var earlier) && earlier.Partition != snapshot.Partition)
            {
                Assert.Fail($"{key} has snapshots on partitions {earlier.Partition} and {snapshot.Partition} of {topic}: a changelog must keep a key on one partition");
            }
            // Per partition, records arrive in offset order, so the last one read is the newest.
            latest[key] = snapshot;
        }
        return latest;
    }

    public static IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> ReadAll(string bootstrapServers, string topic) =>
        KafkaTestClient.ConsumeAllToEnd(bootstrapServers, topic);
}

