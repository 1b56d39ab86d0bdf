using System.Globalization;
using System.Text;
using AgentStateProcessor.Configuration;
using AgentStateProcessor.Domain;
using AgentStateProcessor.Processing.Changes;
using AgentStateProcessor.Processing.Intake;
using AgentStateProcessor.Processing.Repartition;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace AgentStateProcessor.Kafka;

/// <summary>
/// Every record the processor writes goes through here: dead letters, repartitioned DN events,
/// agent state changes, snapshots and progress, on the one producer of the stream thread. It owns that producer's
/// transactions and the delivery errors, and commits what was sent with the input offsets.
/// </summary>
internal sealed class RecordCollector : IDisposable
{
    private static readonly TimeSpan KafkaTimeout = TimeSpan.FromSeconds(30);

    private readonly TopicOptions _topics;
    private readonly TopicLayout _layout;
    private readonly ILogger _logger;
    private readonly IProducer<byte[]?, byte[]?> _producer;
    private readonly Action<DeliveryReport<byte[]?, byte[]?>> _onDelivery;
    private Error? _deliveryError;

    public RecordCollector(KafkaOptions kafka, TopicOptions topics, ProcessingOptions processing, TopicLayout layout,
        ILogger logger, Action<IProducer<byte[]?, byte[]?>, Error> onClientError)
    {
        _topics = topics;
        _layout = layout;
        _logger = logger;
        ExactlyOnce = processing.Guarantee == ProcessingGuarantee.ExactlyOnce;
        _onDelivery = report =>
        {
            if (report.Error.IsError) _deliveryError ??= report.Error;
        };
        _producer = new ProducerBuilder<byte[]?, byte[]?>(KafkaClientConfigs.Output(kafka, processing.Guarantee, kafka.InstanceId))
            .SetErrorHandler(onClientError)
            .Build();
    }

    /// <summary>Commits are Kafka transactions; else produce, flush, then commit offsets.</summary>
    public bool ExactlyOnce { get; }

    /// <summary>Opens the first transaction (exactly-once) and learns the output topics' metadata.</summary>
    public void Start()
    {
        if (ExactlyOnce)
        {
            _producer.InitTransactions(KafkaTimeout);
            _producer.BeginTransaction();
        }
        LearnOutputTopics();
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
        foreach (var topic in new[] { _topics.DnRepartition, _topics.DeadLetters, _topics.AgentSnapshots, _topics.DnSnapshots, _topics.AgentStateChanges, _topics.Progress })
        {
            metadata.GetMetadata(topic, KafkaTimeout);
        }
    }

    public void SendDeadLetter(ConsumeResult<byte[]?, byte[]?> input, IntakeResult intake)
    {
        _logger.LogDebug("Dead letter {Topic}[{Partition}]@{Offset}: {Code}: {Reason}",
            input.Topic, input.Partition.Value, input.Offset.Value, intake.Code, intake.Reason);
        var headers = new Headers();
        headers.AddText(RecordHeaders.ErrorCode, intake.Code!);
        headers.AddText(RecordHeaders.ErrorReason, intake.Reason!);
        headers.AddText(RecordHeaders.SourceTopic, input.Topic);
        headers.AddNumber(RecordHeaders.SourcePartition, input.Partition.Value);
        headers.AddNumber(RecordHeaders.SourceOffset, input.Offset.Value);
        Send(new TopicPartition(_topics.DeadLetters, input.Partition.Value % _layout.DeadLetterPartitions),
            new Message<byte[]?, byte[]?> { Key = input.Message.Key, Value = input.Message.Value, Headers = headers });
    }

    /// <summary>Sends a validated DN event to the repartition partition of its DN (Kafka's murmur2 of the DN key).</summary>
    public void SendToDn(string dnKey, RepartitionRecord record) =>
        Send(new TopicPartition(_topics.DnRepartition, KeyPartitioner.PartitionOf(dnKey, _layout.DnPartitions)),
            new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes(dnKey), Value = record.Encode() });

    /// <summary>
    /// Sends an agent state change as soon as the record that made it is processed, in the transaction
    /// that commits that record, to <paramref name="inputPartition"/>: the partition of the agent's
    /// input and snapshots, so a key's changes stay in input order on one partition.
    /// </summary>
    public void SendChange(int inputPartition, AgentStateChange change, ISnapshotFormat format) =>
        Send(new TopicPartition(_topics.AgentStateChanges, inputPartition),
            new Message<byte[]?, byte[]?>
            {
                Key = Encoding.UTF8.GetBytes(change.Key),
                Value = format.Serialize(_topics.AgentStateChanges, AgentStateChangeMapper.ToRecord(change)),
            });

    public void SendSnapshot(TopicPartition target, string key, byte[] value) =>
        Send(target, new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes(key), Value = value });

    /// <summary>Stores a task's next offset with its snapshots, so a restore finds it even when group offsets are gone.</summary>
    public void SendProgress(string progressKey, long nextOffset) =>
        Send(new TopicPartition(_topics.Progress, KeyPartitioner.PartitionOf(progressKey, _layout.ProgressPartitions)),
            new Message<byte[]?, byte[]?>
            {
                Key = Encoding.UTF8.GetBytes(progressKey),
                Value = Encoding.UTF8.GetBytes(nextOffset.ToString(CultureInfo.InvariantCulture)),
            });

    private void Send(TopicPartition target, Message<byte[]?, byte[]?> message) => _producer.ProduceWhenRoom(target, message, _onDelivery);

    /// <summary>
    /// Makes everything sent since the last commit visible together with <paramref name="offsets"/>:
    /// one transaction under exactly-once; under at-least-once a flush, then the offsets, and a failed
    /// delivery throws before they move.
    /// </summary>
    public void Commit(IReadOnlyList<TopicPartitionOffset> offsets, IConsumer<byte[]?, byte[]?> consumer)
    {
        if (ExactlyOnce)
        {
            _producer.SendOffsetsToTransaction(offsets, consumer.ConsumerGroupMetadata, KafkaTimeout);
            _producer.CommitTransaction(KafkaTimeout);
            _producer.BeginTransaction();
            return;
        }
        _producer.Flush(KafkaTimeout);
        if (_deliveryError is { } error) throw new KafkaException(error);
        if (offsets.Count > 0) consumer.Commit(offsets);
    }

    /// <summary>Drops what was sent since the last commit (exactly-once); at-least-once cannot take it back.</summary>
    /// <returns>Whether a transaction was aborted.</returns>
    public bool AbortUncommitted()
    {
        if (!ExactlyOnce) return false;
        _producer.AbortTransaction(KafkaTimeout);
        _producer.BeginTransaction();
        return true;
    }

    public void Dispose() => _producer.Dispose();
}
