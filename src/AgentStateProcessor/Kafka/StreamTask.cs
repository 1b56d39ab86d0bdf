using AgentStateProcessor.Processing.Stores;
using Confluent.Kafka;

namespace AgentStateProcessor.Kafka;

/// <summary>
/// The work of one consumed partition: its state store and the next offset to process. Agent
/// tasks consume input partitions; DN tasks consume repartition partitions. A task lives from
/// its partition's assignment (after restore) to its revocation.
/// </summary>
internal sealed class StreamTask<TState>(TopicPartition source, string snapshotTopic) where TState : class
{
    public TopicPartition Source { get; } = source;
    /// <summary>Snapshots of this task's keys go to this topic's partition of the same number.</summary>
    public TopicPartition Snapshots { get; } = new(snapshotTopic, source.Partition);
    public StateStore<TState> Store { get; } = new();
    /// <summary>The offset of the next record to process; what is committed as the position.</summary>
    public long NextOffset { get; set; }
    /// <summary>NextOffset as of the last commit, so idle tasks write no progress.</summary>
    public long CommittedOffset { get; set; }

    public bool HasUncommittedWork => NextOffset != CommittedOffset || Store.ChangedCount > 0;
}
