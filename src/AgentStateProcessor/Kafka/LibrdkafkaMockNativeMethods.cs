using System.Runtime.InteropServices;

namespace AgentStateProcessor.Kafka;

/// <summary>
/// P/Invoke declarations for librdkafka's mock cluster (rdkafka_mock.h), which Confluent.Kafka does not
/// expose. <see cref="BundledLibrdkafka"/> binds them to the same library file as Confluent.Kafka.
/// Checked against the exports of librdkafka.redist 2.16.0; only what the project calls is declared.
/// </summary>
internal static class LibrdkafkaMockNativeMethods
{
    private const string Library = "librdkafka";

    internal const int ProducerHandleType = 0; // RD_KAFKA_PRODUCER
    internal const int ConfigurationOk = 0;    // RD_KAFKA_CONF_OK

    [DllImport(Library)]
    internal static extern IntPtr rd_kafka_conf_new();

    [DllImport(Library)]
    internal static extern void rd_kafka_conf_destroy(IntPtr conf);

    [DllImport(Library)]
    internal static extern int rd_kafka_conf_set(IntPtr conf, string name, string value, byte[] errorText, UIntPtr errorTextSize);

    [DllImport(Library)]
    internal static extern IntPtr rd_kafka_new(int type, IntPtr conf, byte[] errorText, UIntPtr errorTextSize);

    [DllImport(Library)]
    internal static extern void rd_kafka_destroy(IntPtr handle);

    [DllImport(Library)]
    internal static extern IntPtr rd_kafka_mock_cluster_new(IntPtr handle, int brokerCount);

    [DllImport(Library)]
    internal static extern void rd_kafka_mock_cluster_destroy(IntPtr cluster);

    [DllImport(Library)]
    internal static extern IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr cluster);

    [DllImport(Library)]
    internal static extern int rd_kafka_mock_topic_create(IntPtr cluster, string topic, int partitionCount, int replicationFactor);

    [DllImport(Library)]
    internal static extern void rd_kafka_mock_topic_set_error(IntPtr cluster, string topic, int error);

    [DllImport(Library)]
    internal static extern int rd_kafka_mock_broker_set_down(IntPtr cluster, int brokerId);

    [DllImport(Library)]
    internal static extern int rd_kafka_mock_broker_set_up(IntPtr cluster, int brokerId);

    [DllImport(Library)]
    internal static extern int rd_kafka_mock_broker_set_rtt(IntPtr cluster, int brokerId, int rttMilliseconds);

    // The C API also has a variadic rd_kafka_mock_push_request_errors; variadic calls cannot be
    // marshalled portably, so the array variant is the one to use.
    [DllImport(Library)]
    internal static extern void rd_kafka_mock_push_request_errors_array(IntPtr cluster, short apiKey, UIntPtr count, int[] errors);

    [DllImport(Library)]
    internal static extern int rd_kafka_mock_partition_set_leader(IntPtr cluster, string topic, int partition, int brokerId);

    // rd_kafka_mock_broker_push_request_error_rtts (errors with a delay, per broker) is variadic only,
    // so it is not declared: set_rtt plus push_request_errors_array cover what it would test.

    [DllImport(Library)]
    internal static extern void rd_kafka_mock_start_request_tracking(IntPtr cluster);

    /// <summary>Returns an array of <paramref name="count"/> request handles, to free with rd_kafka_mock_request_destroy_array.</summary>
    [DllImport(Library)]
    internal static extern IntPtr rd_kafka_mock_get_requests(IntPtr cluster, out UIntPtr count);

    [DllImport(Library)]
    internal static extern short rd_kafka_mock_request_api_key(IntPtr request);

    [DllImport(Library)]
    internal static extern void rd_kafka_mock_request_destroy_array(IntPtr requests, UIntPtr count);

    [DllImport(Library)]
    internal static extern IntPtr rd_kafka_err2str(int error);
}
