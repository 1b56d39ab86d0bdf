using AgentStateProcessor.Domain;
using AgentStateProcessor.Domain.Fold;

namespace AgentStateProcessor.Kafka;

/// <summary>
/// Counters of the pipeline, written by the stream thread and read by anyone (progress display,
/// health, tests).
/// </summary>
internal sealed class PipelineMetrics
{
    private long _consumed, _agentApplied, _dnApplied, _duplicates, _noStateRule, _skipped, _deadLettered, _repartitioned, _commits, _snapshotsWritten;
    private volatile IReadOnlyDictionary<AgentStatus, int> _agentsByState = new Dictionary<AgentStatus, int>();

    public long Consumed => Interlocked.Read(ref _consumed);
    public long AgentApplied => Interlocked.Read(ref _agentApplied);
    public long DnApplied => Interlocked.Read(ref _dnApplied);
    public long Duplicates => Interlocked.Read(ref _duplicates);
    public long NoStateRule => Interlocked.Read(ref _noStateRule);
    public long Skipped => Interlocked.Read(ref _skipped);
    public long DeadLettered => Interlocked.Read(ref _deadLettered);
    public long Repartitioned => Interlocked.Read(ref _repartitioned);
    public long Commits => Interlocked.Read(ref _commits);
    public long SnapshotsWritten => Interlocked.Read(ref _snapshotsWritten);
    /// <summary>Agents of this instance's partitions by state, as of the last commit.</summary>
    public IReadOnlyDictionary<AgentStatus, int> AgentsByState => _agentsByState;
    /// <summary>True once partitions were assigned and restored; false again while rebalancing.</summary>
    public bool Ready { get; set; }
    /// <summary>Why the pipeline stopped, when it stopped on an error; the process then exits non-zero.</summary>
    public Exception? Failure { get; set; }

    public void Consumed1() => Interlocked.Increment(ref _consumed);
    public void AgentFolded(FoldOutcome outcome) => Folded(outcome, ref _agentApplied);
    public void DnFolded(FoldOutcome outcome) => Folded(outcome, ref _dnApplied);
    public void NoStateRule1() => Interlocked.Increment(ref _noStateRule);
    public void Skipped1() => Interlocked.Increment(ref _skipped);
    public void DeadLettered1() => Interlocked.Increment(ref _deadLettered);
    public void Repartitioned1() => Interlocked.Increment(ref _repartitioned);

    private void Folded(FoldOutcome outcome, ref long applied)
    {
        if (outcome == FoldOutcome.Applied) Interlocked.Increment(ref applied);
        else if (outcome == FoldOutcome.Duplicate) Interlocked.Increment(ref _duplicates);
    }

    public void Committed(int snapshots, IReadOnlyDictionary<AgentStatus, int> agentsByState)
    {
        Interlocked.Increment(ref _commits);
        Interlocked.Add(ref _snapshotsWritten, snapshots);
        _agentsByState = agentsByState;
    }
}
