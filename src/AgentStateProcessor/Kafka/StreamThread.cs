using System.Globalization;
using System.Text;
using Avro;
using Avro.Generic;
using AgentStateProcessor.Configuration;
using AgentStateProcessor.Domain;
using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.Domain.Fold;
using AgentStateProcessor.Processing;
using AgentStateProcessor.Processing.Intake;
using AgentStateProcessor.Processing.Snapshots;
using AgentStateProcessor.Processing.Stores;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace AgentStateProcessor.Kafka;

/// <summary>
/// One consumer, one producer, and the tasks of the partitions assigned to them. Consumes input
/// and repartition records, folds them, and on every commit interval writes changed snapshots,
/// progress and offsets together: in one transaction under exactly-once, or produce-flush-commit
/// under at-least-once. All of it runs on the thread that calls <see cref="Run"/>, rebalance
/// callbacks included.
/// </summary>
internal sealed class StreamThread : IDisposable
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan KafkaTimeout = TimeSpan.FromSeconds(30);

    private readonly TopicOptions _topics;
    private readonly ProcessingOptions _processing;
    private readonly TopicLayout _layout;
    private readonly EventIntake _intake;
    private readonly ISnapshotFormat _snapshotFormat;
    private readonly PipelineMetrics _metrics;
    private readonly ILogger _logger;
    private readonly IConsumer<byte[]?, byte[]?> _consumer;
    private readonly IProducer<byte[]?, byte[]?> _producer;
    private readonly ChangelogRestorer _restorer;
    private readonly bool _exactlyOnce;
    private readonly Dictionary<int, StreamTask<AgentState>> _agentTasks = [];
    private readonly Dictionary<int, StreamTask<DnState>> _dnTasks = [];
    private readonly Action<DeliveryReport<byte[]?, byte[]?>> _onDelivery;
    private Error? _deliveryError;
    private DateTime _nextCommit;

    public StreamThread(KafkaOptions kafka, TopicOptions topics, ProcessingOptions processing, TopicLayout layout,
        EventIntake intake, ISnapshotFormat snapshotFormat, PipelineMetrics metrics, ILogger logger)
    {
        _topics = topics;
        _processing = processing;
        _layout = layout;
        _intake = intake;
        _snapshotFormat = snapshotFormat;
        _metrics = metrics;
        _logger = logger;
        _exactlyOnce = processing.Guarantee == ProcessingGuarantee.ExactlyOnce;
        _onDelivery = report =>
        {
            if (report.Error.IsError) _deliveryError ??= report.Error;
        };
        _producer = new ProducerBuilder<byte[]?, byte[]?>(KafkaClientConfigs.Output(kafka, processing.Guarantee, kafka.InstanceId))
            .SetErrorHandler((_, error) => LogClientError("producer", error))
            .Build();
        _restorer = new ChangelogRestorer(
            new ConsumerBuilder<byte[]?, byte[]?>(KafkaClientConfigs.Restore(kafka)).Build(), processing.RestoreTimeout);
        _consumer = new ConsumerBuilder<byte[]?, byte[]?>(KafkaClientConfigs.Processing(kafka))
            .SetErrorHandler((_, error) => LogClientError("consumer", error))
            .SetPartitionsAssignedHandler((_, partitions) => OnAssigned(partitions))
            .SetPartitionsRevokedHandler((_, partitions) => OnRevoked(partitions))
            .SetPartitionsLostHandler((_, partitions) => OnLost(partitions))
            .Build();
    }

    /// <summary>Processes until <paramref name="stop"/> is cancelled, then commits and leaves the group.</summary>
    public void Run(CancellationToken stop)
    {
        if (_exactlyOnce)
        {
            _producer.InitTransactions(KafkaTimeout);
            _producer.BeginTransaction();
        }
        LearnOutputTopics();
        _consumer.Subscribe([_topics.Input, _topics.DnRepartition]);
        _nextCommit = DateTime.UtcNow + _processing.CommitInterval;
        while (!stop.IsCancellationRequested)
        {
            ConsumeResult<byte[]?, byte[]?>? result;
            try
            {
                result = _consumer.Consume(PollTimeout);
            }
            catch (ConsumeException e) when (!e.Error.IsFatal)
            {
                _logger.LogWarning("Consume failed at {Topic}[{Partition}]@{Offset}: {Reason}",
                    e.ConsumerRecord?.Topic, e.ConsumerRecord?.Partition.Value, e.ConsumerRecord?.Offset.Value, e.Error.Reason);
                continue;
            }
            if (result is { IsPartitionEOF: false }) Process(result);
            if (DateTime.UtcNow >= _nextCommit) Commit();
        }
        Commit();
        // Close runs the revoked handler (nothing left to commit) and leaves the group at once,
        // so the other members take over without waiting for a session timeout.
        _consumer.Close();
        _logger.LogInformation("Left the consumer group after committing");
    }

    /// <summary>
    /// Fetches the output topics' metadata through the producer before the first record. librdkafka
    /// asks for a topic's metadata the first time it is produced to only at its next one-second topic
    /// scan; until then the records wait unassigned. Measured on the mock cluster: the first repartition
    /// records and the first commit's snapshots each waited 0.8 to 0.95 s, most of a 2.3 s benchmark run.
    /// </summary>
    private void LearnOutputTopics()
    {
        using var metadata = new DependentAdminClientBuilder(_producer.Handle).Build();
        foreach (var topic in new[] { _topics.DnRepartition, _topics.DeadLetters, _topics.AgentSnapshots, _topics.DnSnapshots, _topics.Progress })
        {
            metadata.GetMetadata(topic, KafkaTimeout);
        }
    }

    private void Process(ConsumeResult<byte[]?, byte[]?> result)
    {
        _metrics.Consumed1();
        if (result.Topic == _topics.Input && _agentTasks.TryGetValue(result.Partition.Value, out var agentTask))
        {
            ProcessInput(agentTask, result);
            agentTask.NextOffset = result.Offset.Value + 1;
        }
        else if (result.Topic == _topics.DnRepartition && _dnTasks.TryGetValue(result.Partition.Value, out var dnTask))
        {
            ProcessRepartitioned(dnTask, result);
            dnTask.NextOffset = result.Offset.Value + 1;
        }
    }

    private void ProcessInput(StreamTask<AgentState> task, ConsumeResult<byte[]?, byte[]?> result)
    {
        var message = result.Message;
        var input = new InputRecord(
            Key: message.Key is null ? null : Encoding.UTF8.GetString(message.Key),
            Value: message.Value ?? [],
            TimestampMicros: message.Timestamp.UnixTimestampMs * 1000,
            Position: new InputPosition(result.Topic, result.Partition.Value, result.Offset.Value));
        var intake = _intake.Read(input);
        switch (intake.Outcome)
        {
            case IntakeOutcome.DeadLetter:
                SendDeadLetter(result, intake);
                return;
            case IntakeOutcome.Skipped:
                _metrics.Skipped1();
                return;
        }

        var e = intake.Event!;
        var agent = task.Store.Fold(e);
        _metrics.AgentFolded(agent);
        if (e.Kind.ChangesDn() && e.DnKey is { } dnKey)
        {
            SendRepartitioned(result, input, dnKey);
        }
        else if (agent == FoldOutcome.NotApplicable)
        {
            _metrics.NoStateRule1();
        }
    }

    private void ProcessRepartitioned(StreamTask<DnState> task, ConsumeResult<byte[]?, byte[]?> result)
    {
        var headers = result.Message.Headers;
        if (headers.Number(RecordHeaders.InputPartition) is not { } partition || headers.Number(RecordHeaders.InputOffset) is not { } offset)
        {
            _logger.LogWarning("Repartition record {Topic}[{Partition}]@{Offset} carries no input position; ignored",
                result.Topic, result.Partition.Value, result.Offset.Value);
            return;
        }
        var input = new InputRecord(
            Key: headers.Text(RecordHeaders.InputKey),
            Value: result.Message.Value ?? [],
            TimestampMicros: headers.Number(RecordHeaders.InputTimestampMicros) ?? result.Message.Timestamp.UnixTimestampMs * 1000,
            Position: new InputPosition(headers.Text(RecordHeaders.InputTopic) ?? _topics.Input, (int)partition, offset));
        var intake = _intake.Read(input);
        if (intake.Event is not { } e)
        {
            // Only valid events are repartitioned; this is a record another writer put there.
            _logger.LogWarning("Repartition record {Topic}[{Partition}]@{Offset} is not a valid event ({Code}: {Reason}); ignored",
                result.Topic, result.Partition.Value, result.Offset.Value, intake.Code, intake.Reason);
            return;
        }
        _metrics.DnFolded(task.Store.Fold(e));
    }

    private void SendDeadLetter(ConsumeResult<byte[]?, byte[]?> result, IntakeResult intake)
    {
        _logger.LogDebug("Dead letter {Topic}[{Partition}]@{Offset}: {Code}: {Reason}",
            result.Topic, result.Partition.Value, result.Offset.Value, intake.Code, intake.Reason);
        var headers = new Headers();
        headers.AddText(RecordHeaders.ErrorCode, intake.Code!);
        headers.AddText(RecordHeaders.ErrorReason, intake.Reason!);
        headers.AddText(RecordHeaders.SourceTopic, result.Topic);
        headers.AddNumber(RecordHeaders.SourcePartition, result.Partition.Value);
        headers.AddNumber(RecordHeaders.SourceOffset, result.Offset.Value);
        Send(new TopicPartition(_topics.DeadLetters, result.Partition.Value % _layout.DeadLetterPartitions),
            new Message<byte[]?, byte[]?> { Key = result.Message.Key, Value = result.Message.Value, Headers = headers });
        _metrics.DeadLettered1();
    }

    private void SendRepartitioned(ConsumeResult<byte[]?, byte[]?> result, InputRecord input, string dnKey)
    {
        var headers = new Headers();
        if (input.Key is not null) headers.AddText(RecordHeaders.InputKey, input.Key);
        headers.AddText(RecordHeaders.InputTopic, input.Position.Topic);
        headers.AddNumber(RecordHeaders.InputPartition, input.Position.Partition);
        headers.AddNumber(RecordHeaders.InputOffset, input.Position.Offset);
        headers.AddNumber(RecordHeaders.InputTimestampMicros, input.TimestampMicros);
        Send(new TopicPartition(_topics.DnRepartition, KeyPartitioner.PartitionOf(dnKey, _layout.DnPartitions)),
            new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes(dnKey), Value = result.Message.Value, Headers = headers });
        _metrics.Repartitioned1();
    }

    /// <summary>Produces, retrying in place only while the local queue is full.</summary>
    private void Send(TopicPartition target, Message<byte[]?, byte[]?> message)
    {
        while (true)
        {
            try
            {
                _producer.Produce(target, message, _onDelivery);
                return;
            }
            catch (ProduceException<byte[]?, byte[]?> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                _producer.Poll(TimeSpan.FromMilliseconds(50));
            }
        }
    }

    /// <summary>Writes changed snapshots and progress, and commits them with the input offsets.</summary>
    private void Commit()
    {
        _nextCommit = DateTime.UtcNow + _processing.CommitInterval;
        var snapshots = WriteSnapshots(_agentTasks.Values, SnapshotMapper.ToRecord)
            + WriteSnapshots(_dnTasks.Values, SnapshotMapper.ToRecord);
        var offsets = new List<TopicPartitionOffset>();
        WriteProgress(_agentTasks.Values.Select(t => (t.Source, t.NextOffset, t.CommittedOffset)), offsets);
        WriteProgress(_dnTasks.Values.Select(t => (t.Source, t.NextOffset, t.CommittedOffset)), offsets);
        if (offsets.Count == 0 && snapshots == 0) return;

        if (_exactlyOnce)
        {
            _producer.SendOffsetsToTransaction(offsets, _consumer.ConsumerGroupMetadata, KafkaTimeout);
            _producer.CommitTransaction(KafkaTimeout);
            _producer.BeginTransaction();
        }
        else
        {
            _producer.Flush(KafkaTimeout);
            if (_deliveryError is { } error)
            {
                throw new KafkaException(error);
            }
            if (offsets.Count > 0) _consumer.Commit(offsets);
        }

        foreach (var task in _agentTasks.Values) task.CommittedOffset = task.NextOffset;
        foreach (var task in _dnTasks.Values) task.CommittedOffset = task.NextOffset;
        _metrics.Committed(snapshots, CountAgentsByState());
    }

    private int WriteSnapshots<TState>(IEnumerable<StreamTask<TState>> tasks, Func<TState, GenericRecord> toRecord)
        where TState : class
    {
        var written = 0;
        foreach (var task in tasks)
        {
            foreach (var (key, state) in task.Store.TakeChanges())
            {
                Send(task.Snapshots, new Message<byte[]?, byte[]?>
                {
                    Key = Encoding.UTF8.GetBytes(key),
                    Value = _snapshotFormat.Serialize(task.Snapshots.Topic, toRecord(state)),
                });
                written++;
            }
        }
        return written;
    }

    private void WriteProgress(IEnumerable<(TopicPartition Source, long Next, long Committed)> tasks, List<TopicPartitionOffset> offsets)
    {
        foreach (var (source, next, committed) in tasks)
        {
            if (next == committed) continue;
            var key = ProgressKey(source);
            Send(new TopicPartition(_topics.Progress, KeyPartitioner.PartitionOf(key, _layout.ProgressPartitions)),
                new Message<byte[]?, byte[]?>
                {
                    Key = Encoding.UTF8.GetBytes(key),
                    Value = Encoding.UTF8.GetBytes(next.ToString(CultureInfo.InvariantCulture)),
                });
            offsets.Add(new TopicPartitionOffset(source, next));
        }
    }

    private static string ProgressKey(TopicPartition source) => $"{source.Topic}:{source.Partition.Value}";

    private IReadOnlyDictionary<AgentStatus, int> CountAgentsByState()
    {
        var counts = new Dictionary<AgentStatus, int>();
        foreach (var task in _agentTasks.Values)
        {
            foreach (var agent in task.Store.States) counts[agent.State] = counts.GetValueOrDefault(agent.State) + 1;
        }
        return counts;
    }

    private IEnumerable<TopicPartitionOffset> OnAssigned(List<TopicPartition> partitions)
    {
        var started = DateTime.UtcNow;
        var progress = ReadProgress();
        var committed = _consumer.Committed(partitions, KafkaTimeout).ToDictionary(c => c.TopicPartition, c => c.Offset);
        var agentTasks = new Dictionary<int, StreamTask<AgentState>>();
        var dnTasks = new Dictionary<int, StreamTask<DnState>>();
        var positions = new List<TopicPartitionOffset>();
        foreach (var partition in partitions)
        {
            // The later of the group's offset and the progress stored with the snapshots: either
            // can be missing (offset retention, a new group id, a broker that keeps no
            // transactional offsets) and the fold skips what state already reflects.
            var start = Math.Max(
                committed.TryGetValue(partition, out var offset) && offset.Value >= 0 ? offset.Value : 0,
                progress.GetValueOrDefault(ProgressKey(partition)));
            if (partition.Topic == _topics.Input)
            {
                agentTasks[partition.Partition.Value] = new StreamTask<AgentState>(partition, _topics.AgentSnapshots) { NextOffset = start, CommittedOffset = start };
            }
            else
            {
                dnTasks[partition.Partition.Value] = new StreamTask<DnState>(partition, _topics.DnSnapshots) { NextOffset = start, CommittedOffset = start };
            }
            positions.Add(new TopicPartitionOffset(partition, start));
        }

        var restored = Restore(agentTasks, SnapshotSchemas.Agent, SnapshotMapper.ToAgentState)
            + Restore(dnTasks, SnapshotSchemas.Dn, SnapshotMapper.ToDnState);
        foreach (var (partition, task) in agentTasks) _agentTasks[partition] = task;
        foreach (var (partition, task) in dnTasks) _dnTasks[partition] = task;
        _metrics.Ready = true;
        _logger.LogInformation("Assigned {Partitions}; restored {Snapshots} snapshots in {Elapsed} ms; resuming at {Positions}",
            string.Join(", ", partitions), restored, (int)(DateTime.UtcNow - started).TotalMilliseconds, string.Join(", ", positions));
        return positions;
    }

    private long Restore<TState>(Dictionary<int, StreamTask<TState>> tasks, RecordSchema schema, Func<GenericRecord, TState> toState)
        where TState : class
    {
        return _restorer.ReadToEnd(tasks.Values.Select(t => t.Snapshots).ToList(), record =>
        {
            if (record.Message.Key is null || record.Message.Value is null) return;
            TState state;
            try
            {
                state = toState(_snapshotFormat.Deserialize(record.Topic, schema, record.Message.Value));
            }
            catch (Exception e) when (e is InvalidDataException or AvroException or InvalidCastException or FormatException)
            {
                throw new InvalidDataException(
                    $"snapshot {record.Topic}[{record.Partition.Value}]@{record.Offset.Value} cannot be read as {schema.Name}: {e.Message}", e);
            }
            tasks[record.Partition.Value].Store.Restore(Encoding.UTF8.GetString(record.Message.Key), state);
        });
    }

    private Dictionary<string, long> ReadProgress()
    {
        var progress = new Dictionary<string, long>(StringComparer.Ordinal);
        var partitions = Enumerable.Range(0, _layout.ProgressPartitions).Select(p => new TopicPartition(_topics.Progress, p)).ToList();
        _restorer.ReadToEnd(partitions, record =>
        {
            if (record.Message.Key is null || record.Message.Value is null) return;
            if (long.TryParse(Encoding.UTF8.GetString(record.Message.Value), NumberStyles.Integer, CultureInfo.InvariantCulture, out var next))
            {
                progress[Encoding.UTF8.GetString(record.Message.Key)] = next;
            }
        });
        return progress;
    }

    private void OnRevoked(List<TopicPartitionOffset> partitions)
    {
        _metrics.Ready = false;
        Commit();
        Drop(partitions.Select(p => p.TopicPartition));
        _logger.LogInformation("Revoked {Partitions} after committing", string.Join(", ", partitions.Select(p => p.TopicPartition)));
    }

    private void OnLost(List<TopicPartitionOffset> partitions)
    {
        _metrics.Ready = false;
        if (_exactlyOnce)
        {
            // Another member owns these partitions now: nothing of the open transaction may land.
            _producer.AbortTransaction(KafkaTimeout);
            _producer.BeginTransaction();
        }
        Drop(partitions.Select(p => p.TopicPartition));
        _logger.LogWarning("Lost {Partitions}; their uncommitted work was dropped", string.Join(", ", partitions.Select(p => p.TopicPartition)));
    }

    private void Drop(IEnumerable<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            if (partition.Topic == _topics.Input) _agentTasks.Remove(partition.Partition.Value);
            else _dnTasks.Remove(partition.Partition.Value);
        }
    }

    private void LogClientError(string client, Error error)
    {
        if (error.IsFatal) _logger.LogCritical("Kafka {Client} fatal error {Code}: {Reason}", client, error.Code, error.Reason);
        else _logger.LogWarning("Kafka {Client} error {Code}: {Reason}", client, error.Code, error.Reason);
    }

    public void Dispose()
    {
        _consumer.Dispose();
        _producer.Dispose();
        _restorer.Dispose();
    }
}
