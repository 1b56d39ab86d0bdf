using System.Text;
using AgentStateProcessor.IntegrationTests.Infrastructure;
using AgentStateProcessor.Simulation;
using Confluent.Kafka;

namespace AgentStateProcessor.IntegrationTests.Pipeline;

/// <summary>An input record as the broker stored it: bytes, timestamp and the position it got.</summary>
internal sealed record ProducedRecord(string? Key, byte[]? Value, long TimestampMs, TopicPartitionOffset Position, SimulatedRecordKind? Kind = null)
{
    /// <summary>The record as sent, at the position the delivery report gives.</summary>
    /// <remarks>
    /// The timestamp is the one sent: the mock cluster's delivery reports say LogAppendTime 1234
    /// whatever the broker stored, while consumers see the producer's CreateTime.
    /// </remarks>
    public static ProducedRecord From(Message<byte[]?, byte[]?> sent, DeliveryResult<byte[]?, byte[]?> delivery, SimulatedRecordKind? kind = null) => new(
        sent.Key is null ? null : Encoding.UTF8.GetString(sent.Key),
        sent.Value,
        sent.Timestamp.UnixTimestampMs,
        delivery.TopicPartitionOffset,
        kind);

    public static ProducedRecord From(ConsumeResult<byte[]?, byte[]?> result) => new(
        result.KeyText(), result.Message.Value, result.Message.Timestamp.UnixTimestampMs, result.TopicPartitionOffset);
}

/// <summary>Feeds the input topic and remembers where each record landed, for the reference run.</summary>
internal static class ProducedInput
{
    public static ContactCenterSimulatorOptions SimulatorOptions(int seed) => new()
    {
        Seed = seed,
        TenantCount = 3,
        AgentCount = 60,
        // Enough bad records that the dead-letter topic carries a few dozen of every kind.
        InvalidShare = 0.03,
        UnknownEventShare = 0.02,
    };

    /// <summary>Records <paramref name="skip"/> to <paramref name="skip"/>+<paramref name="count"/> of the seeded simulation.</summary>
    public static IReadOnlyList<SimulatedRecord> Simulate(int seed, int count, int skip = 0) =>
        new ContactCenterSimulator(SimulatorOptions(seed)).Generate().Skip(skip).Take(count).ToList();

    public static IReadOnlyList<ProducedRecord> Produce(string bootstrapServers, string topic, IReadOnlyList<SimulatedRecord> records)
    {
        using var producer = KafkaTestClient.CreateProducer(KafkaTestClient.ProducerConfig(bootstrapServers));
        return Produce(producer, topic, records);
    }

    /// <summary>As <see cref="Produce(string, string, IReadOnlyList{SimulatedRecord})"/>, on a producer the caller keeps for more.</summary>
    public static IReadOnlyList<ProducedRecord> Produce(IProducer<byte[]?, byte[]?> producer, string topic, IReadOnlyList<SimulatedRecord> records)
    {
        var messages = records.Select(record => new Message<byte[]?, byte[]?>
        {
            Key = record.Key is null ? null : Encoding.UTF8.GetBytes(record.Key),
            Value = record.Value,
            Timestamp = new Timestamp(record.Timestamp),
        }).ToList();
        var deliveries = KafkaTestClient.ProduceAll(producer, topic, messages);
        return deliveries.Select((delivery, index) => ProducedRecord.From(messages[index], delivery, records[index].Kind)).ToList();
    }

    /// <summary>Produces to one partition, one at a time, so a test controls what comes after what.</summary>
    public static IReadOnlyList<ProducedRecord> ProduceInOrder(string bootstrapServers, TopicPartition partition, IEnumerable<Message<byte[]?, byte[]?>> messages)
    {
        using var producer = KafkaTestClient.CreateProducer(KafkaTestClient.ProducerConfig(bootstrapServers));
        var produced = new List<ProducedRecord>();
        foreach (var message in messages)
        {
            if (message.Timestamp.Type == TimestampType.NotAvailable) message.Timestamp = new Timestamp(DateTimeOffset.UtcNow);
            produced.Add(ProducedRecord.From(message, producer.ProduceAsync(partition, message).GetAwaiter().GetResult()));
        }
        return produced;
    }
}
