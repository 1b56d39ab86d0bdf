using AgentStateProcessor.Hosting;
using AgentStateProcessor.Processing;
using AgentStateProcessor.Processing.Stores;
using Avro;
using Avro.Generic;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace AgentStateProcessor.Kafka;

/// <summary>
/// A task's life: created on assignment, restoring its store from its snapshot partition, running
/// (processing records), suspended (no more records; its output still to commit) on revocation,
/// loss or shutdown, then closed. Readiness and metrics read it.
/// </summary>
internal enum TaskState
{
    Created,
    Restoring,
    Running,
    Suspended,
    Closed,
}

internal enum TaskKind
{
    /// <summary>Consumes an input partition; holds the agents keyed to it.</summary>
    Agent,
    /// <summary>Consumes a repartition partition; holds the DNs hashed to it.</summary>
    Dn,
}

/// <summary>What every task of a stream thread shares.</summary>
internal sealed record TaskContext(RecordProcessor Step, RecordCollector Collector, ISnapshotFormat SnapshotFormat,
    PipelineMetrics Metrics, StreamThreadListener Listener, ILogger Logger);

/// <summary>
/// The work of one consumed partition: processing its records into its state store, its next
/// offset, and, at each commit, its output (changed snapshots and progress). Snapshots of the keys
/// of partition p go to partition p of the task's snapshot topic, its changelog.
/// </summary>
internal abstract class StreamTask(TaskKind kind, TopicPartition source, string snapshotTopic, long start, bool positionStored)
{
    public TaskKind Kind { get; } = kind;
    public TopicPartition Source { get; } = source;
    public TopicPartition Snapshots { get; } = new(snapshotTopic, source.Partition);
    public TaskState State { get; private set; } = TaskState.Created;
    /// <summary>The offset of the next record to process; what is committed as the position.</summary>
    public long NextOffset { get; private set; } = start;
    /// <summary>NextOffset as of the last commit, so idle tasks write no progress.</summary>
    public long CommittedOffset { get; private set; } = start;
    /// <summary><see cref="PositionKnown"/> as of the last commit.</summary>
    public bool CommittedPositionKnown { get; private set; } = positionStored;
    /// <summary>
    /// Whether <see cref="NextOffset"/> is a position this group reached (stored, or processed up to), rather
    /// than the beginning a group without history starts from: only then is a jump past it a loss.
    /// </summary>
    public bool PositionKnown { get; private set; } = positionStored;
    public string ProgressKey => ProgressKeyOf(Source);

    /// <summary>The key of a partition's record in the progress topic.</summary>
    public static string ProgressKeyOf(TopicPartition source) => $"{source.Topic}:{source.Partition.Value}";

    public void TransitionTo(TaskState next)
    {
        var allowed = (State, next) switch
        {
            (TaskState.Created, TaskState.Restoring or TaskState.Closed) => true,
            (TaskState.Restoring, TaskState.Running or TaskState.Suspended or TaskState.Closed) => true,
            (TaskState.Running, TaskState.Suspended) => true,
            (TaskState.Suspended, TaskState.Running or TaskState.Closed) => true,
            _ => false,
        };
        if (!allowed) throw new InvalidOperationException($"task {Source} cannot go from {State} to {next}");
        State = next;
    }

    public void Process(ConsumeResult<byte[]?, byte[]?> record)
    {
        if (State != TaskState.Running) throw new InvalidOperationException($"task {Source} is {State}, not processing");
        ProcessRecord(record);
        NextOffset = record.Offset.Value + 1;
        PositionKnown = true;
    }

    protected abstract void ProcessRecord(ConsumeResult<byte[]?, byte[]?> record);

    /// <summary>Puts one record of the snapshot partition into the store (state <see cref="TaskState.Restoring"/>).</summary>
    public abstract void Restore(ConsumeResult<byte[]?, byte[]?> snapshot);

    /// <summary>
    /// Sends the snapshots of the keys changed since the last commit and, when the position moved,
    /// the progress record, and adds the offset to commit.
    /// </summary>
    /// <returns>The number of snapshots sent.</returns>
    public int WriteOutput(RecordCollector collector, List<TopicPartitionOffset> offsets)
    {
        var snapshots = WriteSnapshots(collector);
        if (NextOffset != CommittedOffset)
        {
            collector.SendProgress(ProgressKey, NextOffset);
            offsets.Add(new TopicPartitionOffset(Source, NextOffset));
        }
        return snapshots;
    }

    protected abstract int WriteSnapshots(RecordCollector collector);

    /// <summary>The commit that made this task's output visible returned at <paramref name="visibleAtMs"/>.</summary>
    public virtual void Committed(long visibleAtMs)
    {
        CommittedOffset = NextOffset;
        CommittedPositionKnown = PositionKnown;
    }
}

/// <summary>A task over one kind of state: its store, snapshot encoding and the freshness of what it writes.</summary>
internal abstract class StreamTask<TState>(TaskKind kind, TopicPartition source, string snapshotTopic, long start, bool positionStored,
    TaskContext context) : StreamTask(kind, source, snapshotTopic, start, positionStored)
    where TState : class
{
    /// <summary>For each key changed since the last commit, the timestamp (ms) of the input record that last changed it.</summary>
    private readonly Dictionary<string, long> _changedAtMs = new(StringComparer.Ordinal);
    /// <summary>Those timestamps of the snapshots written since the last commit.</summary>
    private readonly List<long> _writtenChangedAtMs = [];

    protected TaskContext Context { get; } = context;
    public StateStore<TState> Store { get; } = new();

    protected abstract RecordSchema SnapshotSchema { get; }
    protected abstract GenericRecord ToSnapshot(TState state);
    protected abstract TState FromSnapshot(GenericRecord snapshot);

    protected void Changed(string key, long inputTimestampMs) => _changedAtMs[key] = inputTimestampMs;

    public override void Restore(ConsumeResult<byte[]?, byte[]?> snapshot)
    {
        if (snapshot.Message.Key is null || snapshot.Message.Value is null) return;
        TState state;
        try
        {
            state = FromSnapshot(Context.SnapshotFormat.Deserialize(snapshot.Topic, SnapshotSchema, snapshot.Message.Value));
        }
        catch (Exception e) when (e is InvalidDataException or AvroException or InvalidCastException or FormatException)
        {
            throw new InvalidDataException(
                $"snapshot {snapshot.Topic}[{snapshot.Partition.Value}]@{snapshot.Offset.Value} cannot be read as {SnapshotSchema.Name}: {e.Message}", e);
        }
        if (FromUncommittedWork(state)) return;
        Store.Restore(System.Text.Encoding.UTF8.GetString(snapshot.Message.Key), state);
    }

    /// <summary>
    /// Whether a restored snapshot was made from input at or after the position this task resumes
    /// from: work that never committed (a read_committed broker hides it; the librdkafka mock cluster
    /// shows aborted transactions, and at-least-once flushes before it commits). Restoring it would put
    /// the state ahead of the input, so the redo would find its records already applied and make no
    /// state changes for them; the earlier, committed version is kept instead.
    /// </summary>
    protected virtual bool FromUncommittedWork(TState state) => false;

    protected override int WriteSnapshots(RecordCollector collector)
    {
        var changes = Store.TakeChanges();
        foreach (var (key, state) in changes)
        {
            collector.SendSnapshot(Snapshots, key, Context.SnapshotFormat.Serialize(Snapshots.Topic, ToSnapshot(state)));
            Context.Listener.SnapshotWritten(Source.Partition.Value, key, state);
            if (_changedAtMs.TryGetValue(key, out var changedAt)) _writtenChangedAtMs.Add(changedAt);
        }
        _changedAtMs.Clear();
        return changes.Count;
    }

    public override void Committed(long visibleAtMs)
    {
        base.Committed(visibleAtMs);
        if (_writtenChangedAtMs.Count == 0) return;
        // A clock behind the producer's would make it negative.
        var freshnessMs = _writtenChangedAtMs.Select(changedAt => Math.Max(0, visibleAtMs - changedAt)).ToList();
        _writtenChangedAtMs.Clear();
        Context.Metrics.SnapshotsVisible(Kind, freshnessMs);
        Context.Listener.SnapshotsVisible(freshnessMs);
    }
}
