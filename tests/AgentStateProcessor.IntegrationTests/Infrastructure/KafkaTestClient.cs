using System.Diagnostics;
using System.Text;
using Confluent.Kafka;

namespace AgentStateProcessor.IntegrationTests.Infrastructure;

/// <summary>Producer and consumer helpers for tests: raw bytes in, raw bytes out, everything awaited.</summary>
public static class KafkaTestClient
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static ProducerConfig ProducerConfig(string bootstrapServers) => new()
    {
        BootstrapServers = bootstrapServers,
        EnableIdempotence = true,
        // Tests should fail within their own timeouts rather than wait librdkafka's default 5 minutes.
        MessageTimeoutMs = (int)DefaultTimeout.TotalMilliseconds,
        LingerMs = 5,
    };

    public static IProducer<byte[]?, byte[]?> CreateProducer(ProducerConfig config) =>
        new ProducerBuilder<byte[]?, byte[]?>(config).Build();

    /// <summary>A producer with a transactional id of its own (transactions not yet initialised).</summary>
    public static IProducer<byte[]?, byte[]?> CreateTransactionalProducer(string bootstrapServers)
    {
        var config = ProducerConfig(bootstrapServers);
        config.TransactionalId = $"test-{Guid.NewGuid():N}";
        return CreateProducer(config);
    }

    public static Message<byte[]?, byte[]?> Message(string? key, string value) =>
        new() { Key = key is null ? null : Encoding.UTF8.GetBytes(key), Value = Encoding.UTF8.GetBytes(value) };

    /// <summary>Produces every message and waits for all delivery reports; throws on the first failed delivery.</summary>
    public static IReadOnlyList<DeliveryResult<byte[]?, byte[]?>> ProduceAll(
        string bootstrapServers, string topic, IEnumerable<Message<byte[]?, byte[]?>> messages)
    {
        using var producer = CreateProducer(ProducerConfig(bootstrapServers));
        return ProduceAll(producer, topic, messages);
    }

    public static IReadOnlyList<DeliveryResult<byte[]?, byte[]?>> ProduceAll(
        IProducer<byte[]?, byte[]?> producer, string topic, IEnumerable<Message<byte[]?, byte[]?>> messages)
    {
        var deliveries = messages.Select(message => producer.ProduceAsync(topic, message)).ToList();
        producer.Flush(DefaultTimeout);
        // Task.WhenAll rethrows the first ProduceException, whose DeliveryResult says which record failed.
        return Task.WhenAll(deliveries).GetAwaiter().GetResult();
    }

    /// <summary>
    /// Reads every partition of <paramref name="topic"/> from the beginning to the end it had when called,
    /// with read_committed isolation unless told otherwise, without a consumer group (Assign, no rebalance wait).
    /// Throws <see cref="TimeoutException"/> naming the partitions that did not reach their end.
    /// </summary>
    public static IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> ConsumeAllToEnd(
        string bootstrapServers, string topic, TimeSpan? timeout = null, IsolationLevel isolation = IsolationLevel.ReadCommitted)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? DefaultTimeout;
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"test-reader-{Guid.NewGuid():N}", // required by the client; never joined (Assign only)
            EnableAutoCommit = false,
            IsolationLevel = isolation,
            // The end of a partition is where its EOF event says it is: that accounts for transaction
            // markers, which occupy offsets but are never delivered as records.
            EnablePartitionEof = true,
            // Tests read short topics: don't let the broker hold an empty fetch for the default 500 ms.
            FetchWaitMaxMs = 50,
        }).Build();

        var partitions = PartitionsOf(bootstrapServers, topic);
        var remaining = new Dictionary<TopicPartition, long>();
        foreach (var partition in partitions)
        {
            var high = consumer.QueryWatermarkOffsets(partition, limit).High.Value;
            if (high > 0)
            {
                remaining[partition] = high;
            }
        }

        consumer.Assign(remaining.Keys.Select(partition => new TopicPartitionOffset(partition, Offset.Beginning)));
        var records = new List<ConsumeResult<byte[]?, byte[]?>>();
        while (remaining.Count > 0)
        {
            var left = limit - deadline.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException(
                    $"Reading {topic} to its end took longer than {limit}: " +
                    string.Join(", ", remaining.Select(pair => $"partition {pair.Key.Partition.Value} not at {pair.Value}")));
            }

            var result = consumer.Consume(left);
            if (result is null)
            {
                continue;
            }

            if (!result.IsPartitionEOF)
            {
                records.Add(result);
            }
            else if (remaining.TryGetValue(result.TopicPartition, out var end) && result.Offset.Value >= end)
            {
                remaining.Remove(result.TopicPartition);
            }
        }

        consumer.Close();
        return records;
    }

    /// <summary>Each partition's high watermark: where the next record will go, transaction markers and uncommitted records included.</summary>
    public static IReadOnlyDictionary<TopicPartition, long> EndOffsets(string bootstrapServers, string topic)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"test-watermarks-{Guid.NewGuid():N}", // required by the client; never joined
        }).Build();
        return PartitionsOf(bootstrapServers, topic)
            .ToDictionary(partition => partition, partition => consumer.QueryWatermarkOffsets(partition, DefaultTimeout).High.Value);
    }

    public static IReadOnlyList<TopicPartition> PartitionsOf(string bootstrapServers, string topic)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
        var metadata = admin.GetMetadata(topic, DefaultTimeout).Topics.Single();
        if (metadata.Error.IsError)
        {
            throw new KafkaException(metadata.Error);
        }

        return metadata.Partitions
            .Select(partition => new TopicPartition(topic, partition.PartitionId))
            .OrderBy(partition => partition.Partition.Value)
            .ToList();
    }

    public static int LeaderOf(string bootstrapServers, string topic, int partition)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
        return admin.GetMetadata(topic, DefaultTimeout).Topics.Single()
            .Partitions.Single(metadata => metadata.PartitionId == partition).Leader;
    }

    public static string? KeyText(this ConsumeResult<byte[]?, byte[]?> result) =>
        result.Message.Key is null ? null : Encoding.UTF8.GetString(result.Message.Key);

    public static string? ValueText(this ConsumeResult<byte[]?, byte[]?> result) =>
        result.Message.Value is null ? null : Encoding.UTF8.GetString(result.Message.Value);
}
