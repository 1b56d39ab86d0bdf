using AgentStateProcessor.Configuration;
using AgentStateProcessor.Hosting;
using AgentStateProcessor.Processing;
using AgentStateProcessor.Processing.Intake;
using AgentStateProcessor.SchemaRegistry;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace AgentStateProcessor.Kafka;

/// <summary>
/// The poll loop: one consumer subscribed to the input and the repartition topic, whose records
/// the <see cref="TaskManager"/> hands to their tasks, and a commit every commit interval; while the
/// schema registry cannot be asked, a wait that keeps polling (<see cref="RegistryOutage"/>). All of
/// it runs on the thread that calls <see cref="Run"/>, rebalance callbacks included.
/// </summary>
internal sealed class StreamThread : IDisposable
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>A transaction that cannot commit however often it is redone (a record over the broker's size limit) stops the service.</summary>
    private const int MaxRedosWithoutCommit = 5;

    private readonly TopicOptions _topics;
    private readonly ProcessingOptions _processing;
    private readonly TopicLayout _layout;
    private readonly StreamThreadListener _listener;
    private readonly ILogger _logger;
    private readonly IConsumer<byte[]?, byte[]?> _consumer;
    private readonly RecordCollector _collector;
    private readonly StateRestorer _restorer;
    private readonly TaskManager _tasks;
    private readonly RegistryOutage _registryOutage;

    public StreamThread(KafkaOptions kafka, TopicOptions topics, ProcessingOptions processing, TopicLayout layout,
        EventIntake intake, ISnapshotFormat snapshotFormat, CappedExponentialBackoff registryBackoff, PipelineMetrics metrics,
        StreamThreadListener listener, ILogger logger)
    {
        _registryOutage = new RegistryOutage(registryBackoff, listener, logger);
        _topics = topics;
        _processing = processing;
        _layout = layout;
        _listener = listener;
        _logger = logger;
        _collector = new RecordCollector(kafka, topics, processing, layout, logger, (_, error) => LogClientError("producer", error));
        _restorer = new StateRestorer(new ConsumerBuilder<byte[]?, byte[]?>(KafkaClientConfigs.Restore(kafka)).Build(),
            processing.RestoreTimeout, topics, layout)
        {
            RemainingRecords = listener.RestoreRemaining,
        };
        _consumer = new ConsumerBuilder<byte[]?, byte[]?>(KafkaClientConfigs.Processing(kafka))
            .SetErrorHandler((_, error) => LogClientError("consumer", error))
            .SetPartitionsAssignedHandler((_, partitions) => _tasks!.OnAssigned(partitions))
            .SetPartitionsRevokedHandler((_, partitions) => _tasks!.OnRevoked(partitions))
            .SetPartitionsLostHandler((_, partitions) => _tasks!.OnLost(partitions))
            .SetStatisticsHandler((_, json) => _listener.Statistics(json))
            .Build();
        var context = new TaskContext(new RecordProcessor(intake), _collector, snapshotFormat, metrics, listener, logger);
        _tasks = new TaskManager(_consumer, _collector, _restorer, context, topics, logger);
    }

    /// <summary>Processes until <paramref name="stop"/> is cancelled, then commits and leaves the group.</summary>
    public void Run(CancellationToken stop)
    {
        _collector.Start();
        _listener.Started(_layout);
        _consumer.Subscribe([_topics.Input, _topics.DnRepartition]);
        var nextCommit = DateTime.UtcNow + _processing.CommitInterval;
        var redoneSinceCommit = 0;
        while (!stop.IsCancellationRequested)
        {
            _listener.Turned();
            try
            {
                if (_registryOutage.IsOpen)
                {
                    if (WaitForRegistry()) nextCommit = DateTime.UtcNow + _processing.CommitInterval;
                    continue;
                }
                if (_consumer.Consume(PollTimeout) is { IsPartitionEOF: false } record) _tasks.Process(record);
                if (_tasks.TakeRegistryFailure() is { } restoreFailure)
                {
                    // A restore on assignment or after an abort met it.
                    PauseForRegistry(restoreFailure);
                    continue;
                }
                if (DateTime.UtcNow < nextCommit) continue;
                _tasks.Commit();
                redoneSinceCommit = 0;
                nextCommit = DateTime.UtcNow + _processing.CommitInterval;
            }
            catch (ConsumeException e) when (!e.Error.IsFatal)
            {
                _logger.LogWarning("Consume failed at {Topic}[{Partition}]@{Offset}: {Reason}",
                    e.ConsumerRecord?.Topic, e.ConsumerRecord?.Partition.Value, e.ConsumerRecord?.Offset.Value, e.Error.Reason);
            }
            catch (KafkaException e) when (RequiresAbort(e) && redoneSinceCommit < MaxRedosWithoutCommit)
            {
                redoneSinceCommit++;
                _tasks.AbortAndRedo(e);
                nextCommit = DateTime.UtcNow + _processing.CommitInterval;
            }
            catch (SchemaRegistryUnavailableException e)
            {
                // Not a redo that counts toward MaxRedosWithoutCommit: the work is not retried until the registry answers.
                PauseForRegistry(e);
            }
        }
        _tasks.Commit();
        // Close runs the revoked handler (nothing left to commit) and leaves the group at once,
        // so the other members take over without waiting for a session timeout.
        _consumer.Close();
        _logger.LogInformation("Left the consumer group after committing");
    }

    /// <summary>
    /// Work needed the schema registry and could not ask it: drop that work back to the last commit
    /// (a record must not be dead-lettered for the registry's fault, nor the transaction left open
    /// past its timeout), and stop fetching until the registry answers.
    /// </summary>
    private void PauseForRegistry(SchemaRegistryUnavailableException failure)
    {
        _tasks.SuspendForRegistry();
        PauseAssignment();
        _registryOutage.Failed(failure, DateTime.UtcNow);
    }

    /// <summary>
    /// One turn of the wait for the registry: polls (the group counts a member that stops polling
    /// as gone, and rebalances are served here), asks the registry again when it is time, and once
    /// answered restores every task and resumes from the committed positions.
    /// </summary>
    /// <returns>Whether processing resumed.</returns>
    private bool WaitForRegistry()
    {
        // No task exists: a record fetched before its partition was paused is dropped, and read again after the seek below.
        _consumer.Consume(PollTimeout);
        PauseAssignment();
        if (!_registryOutage.Answered(DateTime.UtcNow)) return false;
        var assignment = _consumer.Assignment;
        foreach (var position in _tasks.ResumeAfterRegistry(assignment)) _consumer.Seek(position);
        if (assignment.Count > 0) _consumer.Resume(assignment);
        _registryOutage.Ended(DateTime.UtcNow);
        return true;
    }

    /// <summary>Pauses every assigned partition, including those assigned since the last call.</summary>
    private void PauseAssignment()
    {
        var assignment = _consumer.Assignment;
        if (assignment.Count > 0) _consumer.Pause(assignment);
    }

    /// <summary>
    /// An error that dooms the open transaction but not the producer: librdkafka refuses further
    /// sends with Local_State until the transaction is aborted. Fatal errors (a fenced producer) are not.
    /// </summary>
    private bool RequiresAbort(KafkaException e) =>
        _collector.ExactlyOnce && !e.Error.IsFatal
        && (e is KafkaTxnRequiresAbortException || e.Error.Code == ErrorCode.Local_State);

    private void LogClientError(string client, Error error)
    {
        if (error.IsFatal)
        {
            _listener.Fatal($"Kafka {client} fatal error {error.Code}: {error.Reason}");
            // The call that meets this error stops the service, which logs the one critical line.
            _logger.LogError("Kafka {Client} fatal error {Code}: {Reason}", client, error.Code, error.Reason);
        }
        else _logger.LogWarning("Kafka {Client} error {Code}: {Reason}", client, error.Code, error.Reason);
    }

    public void Dispose()
    {
        _consumer.Dispose();
        _collector.Dispose();
        _restorer.Dispose();
    }
}
