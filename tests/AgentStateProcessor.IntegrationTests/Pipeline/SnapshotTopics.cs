using Avro;
using Avro.Generic;
using AgentStateProcessor.Domain;
using AgentStateProcessor.IntegrationTests.Infrastructure;
using AgentStateProcessor.Processing.Snapshots;
using Confluent.Kafka;

namespace AgentStateProcessor.IntegrationTests.Pipeline;

/// <summary>One snapshot record read back: the state it decodes to and where and how it was written.</summary>
internal sealed record Snapshot<TState>(string Key, TState State, int Partition, long Offset, byte[] Value);

/// <summary>
/// Reads a snapshot topic the way a downstream consumer does (read_committed, from the beginning)
/// and keeps the last snapshot per key, as compaction eventually would.
/// </summary>
internal static class SnapshotTopics
{
    public static IReadOnlyDictionary<string, Snapshot<AgentState>> ReadAgents(string bootstrapServers, string topic) =>
        ReadLatest(bootstrapServers, topic, SnapshotSchemas.Agent, SnapshotMapper.ToAgentState);

    public static IReadOnlyDictionary<string, Snapshot<DnState>> ReadDns(string bootstrapServers, string topic) =>
        ReadLatest(bootstrapServers, topic, SnapshotSchemas.Dn, SnapshotMapper.ToDnState);

    private static Dictionary<string, Snapshot<TState>> ReadLatest<TState>(
        string bootstrapServers, string topic, RecordSchema schema, Func<GenericRecord, TState> toState)
    {
        var latest = new Dictionary<string, Snapshot<TState>>(StringComparer.Ordinal);
        foreach (var record in KafkaTestClient.ConsumeAllToEnd(bootstrapServers, topic))
        {
            var key = record.KeyText() ?? throw new InvalidDataException($"snapshot {record.TopicPartitionOffset} has no key");
            var value = record.Message.Value ?? throw new InvalidDataException($"snapshot {record.TopicPartitionOffset} of {key} is a tombstone");
            var snapshot = new Snapshot<TState>(key, toState(SnapshotCodec.Decode(schema, value)), record.Partition.Value, record.Offset.Value, value);
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
