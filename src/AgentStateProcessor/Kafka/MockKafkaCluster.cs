using System.Runtime.InteropServices;
using System.Text;
using Confluent.Kafka;
using static AgentStateProcessor.Kafka.LibrdkafkaMockNativeMethods;

namespace AgentStateProcessor.Kafka;

/// <summary>
/// An in-process Kafka-protocol cluster: librdkafka's mock brokers listening on loopback TCP ports.
/// Any client, in this process or another, connects to <see cref="BootstrapServers"/>.
/// </summary>
/// <remarks>
/// It runs on the bundled librdkafka (<see cref="BundledLibrdkafka"/>). Known differences from a real
/// cluster (librdkafka 2.16): topics a client touches before they exist are auto-created with 4
/// partitions; the Admin API's CreateTopics and DescribeConfigs time out (the mock names no controller
/// and implements neither); no compaction; offsets sent with SendOffsetsToTransaction are not stored;
/// records of aborted transactions are delivered to read_committed consumers; each partition keeps only
/// its last 5 MiB (or 100,000 batches), dropping the oldest batches silently, so a consumer starting at the
/// beginning of a larger partition starts later. Broker ids are 1..brokerCount.
/// </remarks>
internal sealed class MockKafkaCluster : IDisposable
{
    private const int MaxErrorTextLength = 512;

    private readonly IntPtr clientHandle;
    private readonly IntPtr cluster;
    private int disposed;

    private MockKafkaCluster(IntPtr clientHandle, IntPtr cluster, string bootstrapServers, int brokerCount)
    {
        this.clientHandle = clientHandle;
        this.cluster = cluster;
        BootstrapServers = bootstrapServers;
        BrokerCount = brokerCount;
    }

    /// <summary>Comma-separated host:port list of every mock broker.</summary>
    public string BootstrapServers { get; }

    public int BrokerCount { get; }

    public static MockKafkaCluster Start(int brokerCount = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokerCount, 1);
        BundledLibrdkafka.Load();

        var clientHandle = CreateOwningClientHandle();
        var cluster = rd_kafka_mock_cluster_new(clientHandle, brokerCount);
        if (cluster == IntPtr.Zero)
        {
            rd_kafka_destroy(clientHandle);
            throw new InvalidOperationException($"rd_kafka_mock_cluster_new failed to start {brokerCount} mock brokers.");
        }

        var bootstrapServers = Marshal.PtrToStringUTF8(rd_kafka_mock_cluster_bootstraps(cluster));
        if (string.IsNullOrEmpty(bootstrapServers))
        {
            rd_kafka_mock_cluster_destroy(cluster);
            rd_kafka_destroy(clientHandle);
            throw new InvalidOperationException("The mock cluster started but reported no bootstrap servers.");
        }

        return new MockKafkaCluster(clientHandle, cluster, bootstrapServers, brokerCount);
    }

    /// <summary>Creates a topic with explicit partitions; the Admin API cannot do this on the mock.</summary>
    public void CreateTopic(string name, int partitions, int replicationFactor = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicationFactor, 1);
        ThrowIfFailed(rd_kafka_mock_topic_create(LiveCluster, name, partitions, replicationFactor),
            $"create topic '{name}' with {partitions} partitions and replication factor {replicationFactor}");
    }

    /// <summary>
    /// Disconnects the broker and refuses new connections. Leadership does not move: requests for
    /// partitions it leads wait (and retry) until <see cref="SetBrokerUp"/> or the client's timeout.
    /// </summary>
    public void SetBrokerDown(int brokerId) =>
        ThrowIfFailed(rd_kafka_mock_broker_set_down(LiveCluster, brokerId), $"set broker {brokerId} down");

    public void SetBrokerUp(int brokerId) =>
        ThrowIfFailed(rd_kafka_mock_broker_set_up(LiveCluster, brokerId), $"set broker {brokerId} up");

    /// <summary>Delays every response of the broker by <paramref name="roundTripTime"/>.</summary>
    public void SetBrokerRoundTripTime(int brokerId, TimeSpan roundTripTime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(roundTripTime, TimeSpan.Zero);
        ThrowIfFailed(rd_kafka_mock_broker_set_rtt(LiveCluster, brokerId, checked((int)roundTripTime.TotalMilliseconds)),
            $"set broker {brokerId} round-trip time to {roundTripTime}");
    }

    /// <summary>
    /// Makes the next requests of <paramref name="apiKey"/> (Kafka protocol key, e.g. 0 Produce, 1 Fetch)
    /// fail with <paramref name="errors"/>, one error per request, in order, on whichever broker receives them.
    /// </summary>
    public void PushRequestErrors(short apiKey, params ErrorCode[] errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var codes = Array.ConvertAll(errors, error => (int)error);
        rd_kafka_mock_push_request_errors_array(LiveCluster, apiKey, (UIntPtr)codes.Length, codes);
    }

    /// <summary>
    /// Makes metadata answers report <paramref name="error"/> for <paramref name="topic"/>;
    /// <see cref="ErrorCode.NoError"/> clears it.
    /// </summary>
    public void SetTopicError(string topic, ErrorCode error)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        rd_kafka_mock_topic_set_error(LiveCluster, topic, (int)error);
    }

    /// <summary>Makes <paramref name="brokerId"/> the leader of the partition; clients learn it from their next metadata request.</summary>
    public void SetPartitionLeader(string topic, int partition, int brokerId)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ThrowIfFailed(rd_kafka_mock_partition_set_leader(LiveCluster, topic, partition, brokerId),
            $"make broker {brokerId} the leader of {topic}[{partition}]");
    }

    /// <summary>From now on the cluster records every request it receives, for <see cref="CountRequests"/>.</summary>
    public void StartRequestTracking() => rd_kafka_mock_start_request_tracking(LiveCluster);

    /// <summary>How many requests of <paramref name="apiKey"/> the cluster received since <see cref="StartRequestTracking"/>.</summary>
    public int CountRequests(short apiKey)
    {
        var requests = rd_kafka_mock_get_requests(LiveCluster, out var count);
        if (requests == IntPtr.Zero) return 0;
        try
        {
            var matching = 0;
            for (var i = 0; i < (int)count; i++)
            {
                if (rd_kafka_mock_request_api_key(Marshal.ReadIntPtr(requests, i * IntPtr.Size)) == apiKey) matching++;
            }
            return matching;
        }
        finally
        {
            rd_kafka_mock_request_destroy_array(requests, count);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        rd_kafka_mock_cluster_destroy(cluster);
        rd_kafka_destroy(clientHandle);
    }

    private IntPtr LiveCluster
    {
        get
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
            return cluster;
        }
    }

    // The mock cluster runs on the threads of an rd_kafka_t; this handle exists only to own it.
    private static IntPtr CreateOwningClientHandle()
    {
        var conf = rd_kafka_conf_new();
        var errorText = new byte[MaxErrorTextLength];
        // The owning handle has no bootstrap servers of its own; without this it would log a warning
        // about that, and the mock brokers' own informational logging is noise for a host or a test.
        if (rd_kafka_conf_set(conf, "log_level", "3", errorText, (UIntPtr)errorText.Length) != ConfigurationOk)
        {
            rd_kafka_conf_destroy(conf);
            throw new InvalidOperationException($"rd_kafka_conf_set(log_level) failed: {ReadErrorText(errorText)}");
        }

        // On success rd_kafka_new takes ownership of conf; on failure the caller still owns it.
        var handle = rd_kafka_new(ProducerHandleType, conf, errorText, (UIntPtr)errorText.Length);
        if (handle == IntPtr.Zero)
        {
            rd_kafka_conf_destroy(conf);
            throw new InvalidOperationException($"rd_kafka_new failed: {ReadErrorText(errorText)}");
        }

        return handle;
    }

    private static void ThrowIfFailed(int error, string action)
    {
        if (error != (int)ErrorCode.NoError)
        {
            var description = Marshal.PtrToStringUTF8(rd_kafka_err2str(error));
            throw new KafkaException(new Error((ErrorCode)error,
                $"Mock cluster could not {action}: {description}"));
        }
    }

    private static string ReadErrorText(byte[] errorText)
    {
        var length = Array.IndexOf(errorText, (byte)0);
        return Encoding.UTF8.GetString(errorText, 0, length < 0 ? errorText.Length : length);
    }
}
