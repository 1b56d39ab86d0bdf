using AgentStateProcessor.Domain;
using AgentStateProcessor.Processing;

namespace AgentStateProcessor.Kafka;

/// <summary>
/// Counters and figures of the pipeline, written by the stream thread and read by anyone (progress
/// display, health, tests). Record outcomes are counted by <see cref="ProcessingTotals"/>, once per
/// step: input records on agent tasks, repartitioned DN events on DN tasks.
/// </summary>
internal sealed class PipelineMetrics
{
    private long _consumed, _commits, _snapshotsWritten, _undecodableRepartitionRecords, _recordsSkippedAhead, _consumerLag;
    private volatile IReadOnlyDictionary<AgentStatus, int> _agentsByState = new Dictionary<AgentStatus, int>();
    private volatile IReadOnlyDictionary<TaskState, int> _tasksByState = new Dictionary<TaskState, int>();

    /// <summary>Outcomes of input records (agent tasks).</summary>
    public ProcessingTotals InputSteps { get; } = new();
    /// <summary>Outcomes of repartitioned DN events (DN tasks).</summary>
    public ProcessingTotals DnSteps { get; } = new();

    /// <summary>Records consumed and processed, input and repartition.</summary>
    public long Consumed => Interlocked.Read(ref _consumed);
    public long AgentApplied => InputSteps.Applied;
    public long DnApplied => DnSteps.Applied;
    public long Duplicates => InputSteps.Duplicates + DnSteps.Duplicates;
    public long NoStateRule => InputSteps.NoStateRule + DnSteps.NoStateRule;
    public long Skipped => InputSteps.Skipped;
    public long DeadLettered => InputSteps.DeadLettered;
    /// <summary>DN events sent to the repartition topic.</summary>
    public long Repartitioned => InputSteps.SentToDn;
    public long UndecodableRepartitionRecords => Interlocked.Read(ref _undecodableRepartitionRecords);
    /// <summary>Offsets the consumer jumped over because the log no longer held them (see <see cref="SkipAhead"/>).</summary>
    public long RecordsSkippedAhead => Interlocked.Read(ref _recordsSkippedAhead);
    /// <summary>Records behind the end of the assigned partitions (high watermark − next offset, summed), as of the last commit interval.</summary>
    public long ConsumerLag => Interlocked.Read(ref _consumerLag);
    public long Commits => Interlocked.Read(ref _commits);
    public long SnapshotsWritten => Interlocked.Read(ref _snapshotsWritten);
    /// <summary>
    /// Freshness of agent snapshots: from the append timestamp of the input record that last changed
    /// the agent to the return of the commit that made its snapshot visible. Recent window.
    /// </summary>
    public LatencyWindow AgentFreshness { get; } = new();
    /// <summary>The same for DN snapshots; the input timestamp travels with the repartition record.</summary>
    public LatencyWindow DnFreshness { get; } = new();
    /// <summary>Agents of this instance's partitions by state, as of the last commit.</summary>
    public IReadOnlyDictionary<AgentStatus, int> AgentsByState => _agentsByState;
    /// <summary>This instance's tasks by lifecycle state, as of the last change.</summary>
    public IReadOnlyDictionary<TaskState, int> TasksByState => _tasksByState;
    /// <summary>True once partitions were assigned and restored; false again while rebalancing.</summary>
    public bool Ready { get; set; }
    /// <summary>Why the pipeline stopped, when it stopped on an error; the process then exits non-zero.</summary>
    public Exception? Failure { get; set; }

    public void Consumed1() => Interlocked.Increment(ref _consumed);

    public void Count(TaskKind kind, RecordResult result) => (kind == TaskKind.Agent ? InputSteps : DnSteps).Count(result);

    public void UndecodableRepartitionRecord() => Interlocked.Increment(ref _undecodableRepartitionRecords);

    public void SkippedAhead(long offsets) => Interlocked.Add(ref _recordsSkippedAhead, offsets);

    public void Lag(long records) => Interlocked.Exchange(ref _consumerLag, records);

    public void Tasks(IReadOnlyDictionary<TaskState, int> byState) => _tasksByState = byState;

    /// <summary>A commit made snapshots of this kind visible, with this freshness each.</summary>
    public void SnapshotsVisible(TaskKind kind, IReadOnlyList<long> freshnessMs) =>
        (kind == TaskKind.Agent ? AgentFreshness : DnFreshness).AddRange(freshnessMs);

    public void Committed(int snapshots, IReadOnlyDictionary<AgentStatus, int> agentsByState)
    {
        Interlocked.Increment(ref _commits);
        Interlocked.Add(ref _snapshotsWritten, snapshots);
        _agentsByState = agentsByState;
    }
}
