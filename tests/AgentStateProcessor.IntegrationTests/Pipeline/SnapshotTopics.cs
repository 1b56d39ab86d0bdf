using Avro;
using Avro.Generic;
using AgentStateProcessor.Domain;
using AgentStateProcessor.IntegrationTests.Infrastructure;
using AgentStateProcessor.Processing.Changes;
using AgentStateProcessor.Processing.Snapshots;
using AgentStateProcessor.SchemaRegistry;
using Confluent.Kafka;
using Confluent.SchemaRegistry;

namespace AgentStateProcessor.IntegrationTests.Pipeline;

/// <summary>One snapshot record read back: the state it decodes to and where and how it was written.</summary>
internal sealed record Snapshot<TState>(string Key, TState State, int Partition, long Offset, byte[] Value)
{
    public TopicPartitionOffset WrittenAt(string topic) => new(topic, Partition, Offset);
}

/// <summary>One record of the change topic read back: the change it decodes to and where and how it was written.</summary>
internal sealed record ChangeRecord(string? Key, AgentStateChange Change, int Partition, long Offset, byte[] Value)
{
    public TopicPartitionOffset WrittenAt(string topic) => new(topic, Partition, Offset);
}

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

    /// <summary>Every record of the change topic, read_committed, in partition then offset order.</summary>
    /// <param name="registry">For changes in the Confluent wire format: decoded with Confluent's deserializer, as a registry user would.</param>
    public static IReadOnlyList<ChangeRecord> ReadChanges(string bootstrapServers, string topic, ISchemaRegistryClient? registry = null)
    {
        var decode = Decoder(topic, AgentStateChangeMapper.Schema, registry);
        return KafkaTestClient.ConsumeAllToEnd(bootstrapServers, topic)
            .Select(record =>
            {
                var value = record.Message.Value ?? throw new InvalidDataException($"change {record.TopicPartitionOffset} has no value");
                return new ChangeRecord(record.KeyText(), AgentStateChangeMapper.ToChange(decode(value)), record.Partition.Value, record.Offset.Value, value);
            })
            .OrderBy(c => c.Partition).ThenBy(c => c.Offset)
            .ToList();
    }

    private static Func<byte[], GenericRecord> Decoder(string topic, RecordSchema schema, ISchemaRegistryClient? registry)
    {
        if (registry is null) return value => SnapshotCodec.Decode(schema, value);
        var registryDecoder = new RegistryAvroDecoder(registry);
        return value => registryDecoder.Decode(value, topic).Record ?? throw new InvalidDataException($"a record of {topic} that Confluent's deserializer cannot read");
    }

    /// <summary>Every agent snapshot in the topic, aborted copies included where the cluster shows them, in offset order per partition.</summary>
    public static IReadOnlyList<Snapshot<AgentState>> ReadEveryAgent(string bootstrapServers, string topic) =>
        ReadEvery(bootstrapServers, topic, SnapshotSchemas.Agent, SnapshotMapper.ToAgentState, registry: null);

    /// <inheritdoc cref="ReadEveryAgent"/>
    public static IReadOnlyList<Snapshot<DnState>> ReadEveryDn(string bootstrapServers, string topic) =>
        ReadEvery(bootstrapServers, topic, SnapshotSchemas.Dn, SnapshotMapper.ToDnState, registry: null);

    private static Dictionary<string, Snapshot<TState>> ReadLatest<TState>(
        string bootstrapServers, string topic, RecordSchema schema, Func<GenericRecord, TState> toState, ISchemaRegistryClient? registry)
    {
        var latest = new Dictionary<string, Snapshot<TState>>(StringComparer.Ordinal);
        foreach (var snapshot in ReadEvery(bootstrapServers, topic, schema, toState, registry))
        {
            if (latest.TryGetValue(snapshot.Key, out var earlier) && earlier.Partition != snapshot.Partition)
            {
                Assert.Fail($"{snapshot.Key} has snapshots on partitions {earlier.Partition} and {snapshot.Partition} of {topic}: a changelog must keep a key on one partition");
            }
            // Per partition, records arrive in offset order, so the last one read is the newest.
            latest[snapshot.Key] = snapshot;
        }
        return latest;
    }

    private static List<Snapshot<TState>> ReadEvery<TState>(
        string bootstrapServers, string topic, RecordSchema schema, Func<GenericRecord, TState> toState, ISchemaRegistryClient? registry)
    {
        var decode = Decoder(topic, schema, registry);
        return KafkaTestClient.ConsumeAllToEnd(bootstrapServers, topic).Select(record =>
        {
            var key = record.KeyText() ?? throw new InvalidDataException($"snapshot {record.TopicPartitionOffset} has no key");
            var value = record.Message.Value ?? throw new InvalidDataException($"snapshot {record.TopicPartitionOffset} of {key} is a tombstone");
            return new Snapshot<TState>(key, toState(decode(value)), record.Partition.Value, record.Offset.Value, value);
        }).ToList();
    }

    /// <summary>
    /// The next offset the processor stored per consumed partition (key <c>topic:partition</c>), the last
    /// record per key as its restore reads it (read_committed).
    /// </summary>
    public static IReadOnlyDictionary<string, long> ReadProgress(string bootstrapServers, string topic)
    {
        var progress = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var record in KafkaTestClient.ConsumeAllToEnd(bootstrapServers, topic))
        {
            if (record.KeyText() is { } key && record.ValueText() is { } value) progress[key] = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        }
        return progress;
    }

    public static IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> ReadAll(string bootstrapServers, string topic) =>
        KafkaTestClient.ConsumeAllToEnd(bootstrapServers, topic);
}

