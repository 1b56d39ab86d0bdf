using System.Diagnostics;
using AgentStateProcessor.Configuration;
using AgentStateProcessor.Domain;
using AgentStateProcessor.SchemaRegistry;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace AgentStateProcessor.Kafka;

/// <summary>
/// The tasks of one stream thread, one per assigned partition (agent tasks for input partitions, DN
/// tasks for repartition partitions): creates and restores them on assignment, routes each consumed
/// record to its task, commits their output, and suspends and closes them on revocation, loss and
/// shutdown. Runs on the stream thread only, rebalance callbacks included.
/// </summary>
internal sealed class TaskManager(
    IConsumer<byte[]?, byte[]?> consumer,
    RecordCollector collector,
    StateRestorer restorer,
    TaskContext context,
    TopicOptions topics,
    ILogger logger)
{
    private static readonly TimeSpan KafkaTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan WatermarkTimeout = TimeSpan.FromSeconds(5);

    private readonly Dictionary<(string Topic, int Partition), StreamTask> _tasks = [];
    private bool _suspendedForRegistry;
    /// <summary>While suspended for the registry: the last commit of each partition still assigned since.</summary>
    private readonly Dictionary<TopicPartition, ResumePosition> _lastCommittedBeforeSuspending = [];
    private SchemaRegistryUnavailableException? _registryFailure;
    private PipelineMetrics Metrics => context.Metrics;

    public void Process(ConsumeResult<byte[]?, byte[]?> record)
    {
        if (_tasks.TryGetValue((record.Topic, record.Partition.Value), out var task))
        {
            if (record.Offset.Value > task.NextOffset && task.PositionKnown) CheckSkipAhead(task, record.Offset.Value);
            task.Process(record);
        }
        // Counted once processed, so whoever sees the count also sees what the record did (applied, sent to
        // the DN side); a record whose processing threw is counted when the redo reads it again.
        Metrics.Consumed1();
    }

    /// <summary>Warns and counts when the log no longer held the records between the task's position and this record.</summary>
    private void CheckSkipAhead(StreamTask task, long offset)
    {
        // librdkafka keeps the log start from fetch responses; asking the broker is the rare fallback.
        var logStart = consumer.GetWatermarkOffsets(task.Source).Low.Value;
        if (logStart < 0)
        {
            try
            {
                logStart = consumer.QueryWatermarkOffsets(task.Source, WatermarkTimeout).Low.Value;
            }
            catch (KafkaException e)
            {
                logger.LogWarning("{Partition} jumped from offset {Expected} to {Actual}, and where its log starts is unknown ({Reason}): records may have been lost to retention",
                    task.Source, task.NextOffset, offset, e.Error.Reason);
                return;
            }
        }
        var skipped = SkipAhead.RecordsSkipped(task.NextOffset, offset, logStart);
        if (skipped == 0) return;
        Metrics.SkippedAhead(skipped);
        logger.LogWarning(
            "Skipped ahead on {Partition}: expected offset {Expected}, got {Actual}; {Skipped} records were deleted (the log starts at {LogStart}) before they were processed, and their events are lost to the state",
            task.Source, task.NextOffset, offset, skipped, logStart);
    }

    /// <summary>
    /// Asks every task for its output (snapshots of changed keys, progress), then commits it with
    /// the input offsets: in one transaction, or flush then commit.
    /// </summary>
    public void Commit()
    {
        Metrics.Lag(Lag());
        var offsets = new List<TopicPartitionOffset>();
        var snapshots = 0;
        foreach (var task in _tasks.Values)
        {
            if (task.State is TaskState.Running or TaskState.Suspended) snapshots += task.WriteOutput(collector, offsets);
        }
        if (offsets.Count == 0 && snapshots == 0) return;

        var commitStarted = Stopwatch.GetTimestamp();
        collector.Commit(offsets, consumer);
        var visibleAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var task in _tasks.Values) task.Committed(visibleAt);
        Metrics.Committed(snapshots, CountAgentsByState());
        context.Listener.Committed(Stopwatch.GetElapsedTime(commitStarted), collector.ExactlyOnce);
    }

    /// <summary>
    /// High watermark less position, summed over the tasks. The consumer's position, unlike the
    /// next offset to process, moves past the transaction marker that ends a partition written in
    /// transactions (the repartition topic), so a drained partition counts 0.
    /// </summary>
    private long Lag()
    {
        long lag = 0;
        foreach (var task in _tasks.Values)
        {
            var high = consumer.GetWatermarkOffsets(task.Source).High.Value;
            var position = Math.Max(task.NextOffset, consumer.Position(task.Source).Value);
            if (high > position) lag += high - position;
        }
        return lag;
    }

    private Dictionary<AgentStatus, int> CountAgentsByState()
    {
        var counts = new Dictionary<AgentStatus, int>();
        foreach (var task in _tasks.Values) (task as AgentTask)?.CountByState(counts);
        return counts;
    }

    /// <summary>
    /// The partitions-assigned callback. While tasks are suspended for the schema registry it creates
    /// none; a restore that meets an unavailable registry is kept for <see cref="TakeRegistryFailure"/>,
    /// because an exception out of the callback would unassign the partitions the group still counts as ours.
    /// </summary>
    public IEnumerable<TopicPartitionOffset> OnAssigned(List<TopicPartition> partitions) =>
        _suspendedForRegistry ? Unstarted(partitions) : StartKeepingRegistryFailure(partitions) ?? Unstarted(partitions);

    /// <summary><see cref="Start"/>, but a registry that cannot be asked is kept for <see cref="TakeRegistryFailure"/>; null then.</summary>
    private List<TopicPartitionOffset>? StartKeepingRegistryFailure(List<TopicPartition> partitions,
        IReadOnlyDictionary<TopicPartition, ResumePosition>? lastCommitted = null)
    {
        try
        {
            return Start(partitions, lastCommitted);
        }
        catch (SchemaRegistryUnavailableException e)
        {
            _registryFailure = e;
            PublishTaskStates();
            return null;
        }
    }

    /// <summary>Where the consumer starts partitions that have no task yet; the seek on resuming moves it to the task's position.</summary>
    private static IEnumerable<TopicPartitionOffset> Unstarted(List<TopicPartition> partitions) =>
        partitions.Select(p => new TopicPartitionOffset(p, Offset.Unset)).ToList();

    /// <summary>The registry failure a rebalance callback or a redo met (neither may throw it), once.</summary>
    public SchemaRegistryUnavailableException? TakeRegistryFailure()
    {
        var failure = _registryFailure;
        _registryFailure = null;
        return failure;
    }

    /// <summary>
    /// Work needed the schema registry and could not ask it: drops the open transaction and every
    /// task (all work since the last commit), and creates no task until <see cref="ResumeAfterRegistry"/>.
    /// </summary>
    public void SuspendForRegistry()
    {
        _suspendedForRegistry = true;
        Metrics.Ready = false;
        var open = _tasks.Values.ToList();
        if (open.Count == 0) return;
        // A revocation whose commit met the outage left its tasks suspended already; they are not ours to resume.
        var running = open.Where(t => t.State == TaskState.Running).ToList();
        foreach (var (partition, position) in LastCommitted(running)) _lastCommittedBeforeSuspending[partition] = position;
        foreach (var task in running) task.TransitionTo(TaskState.Suspended);
        if (collector.AbortUncommitted()) context.Listener.Aborted();
        Close(open);
    }

    /// <summary>Creates and restores the tasks of <paramref name="partitions"/> (the whole assignment) again.</summary>
    /// <returns>Where each partition resumes: the committed positions.</returns>
    /// <exception cref="SchemaRegistryUnavailableException">A restore met the registry still unavailable; tasks stay suspended.</exception>
    public IReadOnlyList<TopicPartitionOffset> ResumeAfterRegistry(List<TopicPartition> partitions)
    {
        try
        {
            var positions = Start(partitions, _lastCommittedBeforeSuspending);
            _suspendedForRegistry = false;
            _lastCommittedBeforeSuspending.Clear();
            return positions;
        }
        catch (SchemaRegistryUnavailableException)
        {
            PublishTaskStates();
            throw;
        }
    }

    /// <summary>
    /// Creates and restores a task per partition and returns where each resumes: from
    /// <paramref name="lastCommitted"/> where it has the partition, else from the positions stored in Kafka.
    /// </summary>
    private List<TopicPartitionOffset> Start(List<TopicPartition> partitions, IReadOnlyDictionary<TopicPartition, ResumePosition>? lastCommitted = null)
    {
        var started = DateTime.UtcNow;
        context.Listener.Assigning();
        var unknown = partitions.Where(p => lastCommitted?.ContainsKey(p) != true).ToList();
        var stored = unknown.Count > 0 ? StoredPositions(unknown) : [];
        var created = new List<StreamTask>();
        foreach (var partition in partitions)
        {
            var position = lastCommitted is not null && lastCommitted.TryGetValue(partition, out var last) ? last : stored[partition];
            var task = CreateTask(partition, position.Offset, position.Known);
            task.TransitionTo(TaskState.Restoring);
            created.Add(task);
        }
        PublishTaskStates(created);

        var restored = restorer.RestoreSnapshots(created);
        foreach (var task in created)
        {
            task.TransitionTo(TaskState.Running);
            _tasks[(task.Source.Topic, task.Source.Partition.Value)] = task;
        }
        PublishTaskStates();
        context.Listener.Assigned(partitions, created.OfType<AgentTask>(), created.OfType<DnTask>());
        // After the listener: whoever sees Ready finds the health checks and views already told.
        Metrics.Ready = true;
        var positions = created.Select(t => new TopicPartitionOffset(t.Source, t.NextOffset)).ToList();
        logger.LogInformation("Assigned {Partitions}; restored {Snapshots} snapshots in {Elapsed} ms; resuming at {Positions}",
            string.Join(", ", partitions), restored, (int)(DateTime.UtcNow - started).TotalMilliseconds, string.Join(", ", positions));
        return positions;
    }

    /// <summary>
    /// Per partition, the later of the group's offset and the progress stored with the snapshots:
    /// either can be missing (offset retention, a new group id, a broker that keeps no
    /// transactional offsets) and the fold skips what state already reflects.
    /// </summary>
    private Dictionary<TopicPartition, ResumePosition> StoredPositions(List<TopicPartition> partitions)
    {
        var progress = restorer.ReadProgress();
        var committed = consumer.Committed(partitions, KafkaTimeout).ToDictionary(c => c.TopicPartition, c => c.Offset);
        return partitions.ToDictionary(partition => partition, partition =>
        {
            var hasOffset = committed.TryGetValue(partition, out var offset) && offset.Value >= 0;
            var hasProgress = progress.TryGetValue(StreamTask.ProgressKeyOf(partition), out var stored);
            return new ResumePosition(Math.Max(hasOffset ? offset.Value : 0, hasProgress ? stored : 0), Known: hasOffset || hasProgress);
        });
    }

    /// <summary>
    /// The positions of this process's last commit, for a redo of the work since: exact, where the
    /// progress topic may also show an aborted transaction's progress to a reader that does not hide
    /// aborted records (the librdkafka mock cluster), which would skip the records of that transaction.
    /// </summary>
    private static Dictionary<TopicPartition, ResumePosition> LastCommitted(IEnumerable<StreamTask> tasks) =>
        tasks.ToDictionary(task => task.Source, task => new ResumePosition(task.CommittedOffset, task.CommittedPositionKnown));

    /// <summary>
    /// After an abortable transaction error (a produce request refused for good, a commit the broker
    /// made abortable): drops the open transaction and all work since the last commit, restores every
    /// task from the snapshot topics and consumes again from the committed positions, as Kafka Streams
    /// does. The partitions stay assigned; only their work is redone.
    /// </summary>
    public void AbortAndRedo(KafkaException cause)
    {
        logger.LogWarning("The transaction must be aborted ({Code}: {Reason}); redoing the work since the last commit",
            cause.Error.Code, cause.Error.Reason);
        var partitions = _tasks.Values.Select(t => t.Source).ToList();
        var open = _tasks.Values.ToList();
        var lastCommitted = LastCommitted(open);
        foreach (var task in open) task.TransitionTo(TaskState.Suspended);
        if (collector.AbortUncommitted()) context.Listener.Aborted();
        Close(open);
        // Thrown from here, the stream thread's handler of the abort would let the failure stop the service.
        foreach (var position in StartKeepingRegistryFailure(partitions, lastCommitted) ?? []) consumer.Seek(position);
    }

    private StreamTask CreateTask(TopicPartition partition, long start, bool positionStored) =>
        partition.Topic == topics.Input
            ? new AgentTask(partition, topics.AgentSnapshots, start, positionStored, context)
            : new DnTask(partition, topics.DnSnapshots, start, positionStored, context);

    /// <summary>Commits the open work of every task, then closes the revoked ones.</summary>
    public void OnRevoked(List<TopicPartitionOffset> partitions)
    {
        Metrics.Ready = false;
        ForgetLastCommitted(partitions);
        var revoked = Owned(partitions);
        foreach (var task in revoked) task.TransitionTo(TaskState.Suspended);
        Commit();
        Close(revoked);
        context.Listener.Revoked(partitions.Select(p => p.TopicPartition), topics.Input);
        logger.LogInformation("Revoked {Partitions} after committing", string.Join(", ", partitions.Select(p => p.TopicPartition)));
    }

    /// <summary>Another member owns these partitions now: nothing of the open transaction may land.</summary>
    public void OnLost(List<TopicPartitionOffset> partitions)
    {
        Metrics.Ready = false;
        ForgetLastCommitted(partitions);
        var lost = Owned(partitions);
        foreach (var task in lost) task.TransitionTo(TaskState.Suspended);
        if (collector.AbortUncommitted()) context.Listener.Aborted();
        Close(lost);
        context.Listener.Revoked(partitions.Select(p => p.TopicPartition), topics.Input);
        logger.LogWarning("Lost {Partitions}; their uncommitted work was dropped", string.Join(", ", partitions.Select(p => p.TopicPartition)));
    }

    /// <summary>Another member may commit these partitions before they come back: their positions are then read from Kafka.</summary>
    private void ForgetLastCommitted(List<TopicPartitionOffset> partitions)
    {
        foreach (var partition in partitions) _lastCommittedBeforeSuspending.Remove(partition.TopicPartition);
    }

    private List<StreamTask> Owned(List<TopicPartitionOffset> partitions) =>
        partitions.Select(p => _tasks.GetValueOrDefault((p.Topic, p.Partition.Value))).OfType<StreamTask>().ToList();

    private void Close(List<StreamTask> tasks)
    {
        foreach (var task in tasks)
        {
            task.TransitionTo(TaskState.Closed);
            _tasks.Remove((task.Source.Topic, task.Source.Partition.Value));
        }
        PublishTaskStates();
    }

    private void PublishTaskStates(IEnumerable<StreamTask>? extra = null) =>
        Metrics.Tasks(_tasks.Values.Concat(extra ?? []).GroupBy(t => t.State).ToDictionary(g => g.Key, g => g.Count()));
}

/// <summary>Where a task resumes, and whether the group reached that position (rather than starting there without history).</summary>
internal readonly record struct ResumePosition(long Offset, bool Known);
