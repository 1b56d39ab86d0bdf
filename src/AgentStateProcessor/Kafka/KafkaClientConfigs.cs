using AgentStateProcessor.Configuration;
using Confluent.Kafka;

namespace AgentStateProcessor.Kafka;

/// <summary>The one place that turns <see cref="KafkaOptions"/> into client configurations, one per role.</summary>
internal static class KafkaClientConfigs
{
    private const int StatisticsIntervalMs = 5_000;

    /// <summary>The consumer of input and repartition records: a group member that commits nothing on its own.</summary>
    public static ConsumerConfig Processing(KafkaOptions options) => new(Common(options))
    {
        GroupId = options.GroupId,
        // Static membership: a pod restarted under the same name within the session timeout takes its
        // partitions back without a rebalance (and without restoring them elsewhere in between).
        GroupInstanceId = options.StaticMembership ? options.InstanceId : null,
        // Lag per partition and broker round-trip times for /metrics; a scrape every 15-30 s needs no fresher numbers.
        StatisticsIntervalMs = StatisticsIntervalMs,
        SessionTimeoutMs = (int)options.SessionTimeout.TotalMilliseconds,
        // Offsets are committed with the snapshots (in the transaction, or after them), never behind our back.
        EnableAutoCommit = false,
        EnableAutoOffsetStore = false,
        // A group that never committed starts at the beginning: state is a fold over all history.
        AutoOffsetReset = AutoOffsetReset.Earliest,
        // Repartition records of an open or aborted transaction must not be folded.
        IsolationLevel = IsolationLevel.ReadCommitted,
        // Configurable for the embedded mock, which holds an empty fetch for the whole wait even when
        // data arrives: at 500 ms that wait was most of the time from an event to its snapshot.
        FetchWaitMaxMs = options.FetchWaitMax is { } wait ? (int)wait.TotalMilliseconds : null,
    };

    /// <summary>Reads snapshot and progress partitions to their end on assignment; never joins a group.</summary>
    public static ConsumerConfig Restore(KafkaOptions options) => new(Common(options))
    {
        GroupId = options.GroupId + "-restore",
        ClientId = options.ClientId + "-restore",
        EnableAutoCommit = false,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        IsolationLevel = IsolationLevel.ReadCommitted,
        // The end of each changelog partition is what the restore waits for.
        EnablePartitionEof = true,
        // The fetch that reaches a partition's end finds nothing new and would be held for the whole
        // wait (500 ms by default) once per partition read; a restore wants the end at once.
        FetchWaitMaxMs = 10,
    };

    public static ProducerConfig Output(KafkaOptions options, ProcessingGuarantee guarantee, string instanceId)
    {
        var config = new ProducerConfig(Common(options))
        {
            EnableIdempotence = true,
            Acks = Acks.All,
            // Snapshots coalesce per commit already; a short linger batches the rest.
            LingerMs = 5,
            // Delivery reports are read for their error only: no need to marshal key, value and
            // headers back into .NET for every record.
            DeliveryReportFields = "status",
        };
        if (guarantee == ProcessingGuarantee.ExactlyOnce)
        {
            // One transactional producer per instance; its id must be stable for the instance and unique in the group.
            config.TransactionalId = $"{options.GroupId}-{instanceId}";
            // As Kafka Streams under exactly-once (10 s, not the client's 60 s): a transaction left open
            // by a dead instance blocks read_committed readers of its partitions until the broker aborts it.
            config.TransactionTimeoutMs = (int)options.TransactionTimeout.TotalMilliseconds;
        }
        return config;
    }

    /// <summary>The simulated contact center's producer (embedded default only): plain, non-transactional.</summary>
    public static ProducerConfig Simulator(KafkaOptions options) => new(Common(options))
    {
        ClientId = options.ClientId + "-simulator",
        // The mock brokers look batches up by walking a partition's log from its oldest batch, on one thread
        // for all brokers: a 5 ms linger made batches of 1-2 records at 2,000 events/s and the brokers slowed
        // down as their logs filled. 100 ms batches about 30 records per partition at that rate, and adds at
        // most 100 ms before the processor sees an event, which a simulated feed can afford (docs/benchmarks.md).
        LingerMs = 100,
    };

    public static AdminClientConfig Admin(KafkaOptions options) => new(Common(options));

    private static ClientConfig Common(KafkaOptions options)
    {
        var config = new ClientConfig
        {
            BootstrapServers = options.BootstrapServers,
            ClientId = options.ClientId,
            SecurityProtocol = Enum.Parse<SecurityProtocol>(options.SecurityProtocol, ignoreCase: true),
            SslCaLocation = options.SslCaLocation,
            SslCertificateLocation = options.SslCertificateLocation,
            SslKeyLocation = options.SslKeyLocation,
            SslKeyPassword = options.SslKeyPassword,
        };
        if (options.SaslMechanism is not null)
        {
            config.SaslMechanism = Enum.Parse<SaslMechanism>(options.SaslMechanism, ignoreCase: true);
            config.SaslUsername = options.SaslUsername;
            config.SaslPassword = options.SaslPassword;
        }
        return config;
    }
}
