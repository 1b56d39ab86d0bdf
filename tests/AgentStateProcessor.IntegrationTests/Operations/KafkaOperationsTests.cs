using AgentStateProcessor.Configuration;
using AgentStateProcessor.Kafka;
using AgentStateProcessor.Metrics;

namespace AgentStateProcessor.IntegrationTests.Operations;

/// <summary>What the processor takes from librdkafka's statistics, and what its Kubernetes settings give librdkafka.</summary>
public sealed class KafkaOperationsTests
{
    [Fact]
    public void Statistics_give_each_partitions_lag_from_its_position_when_librdkafka_knows_no_committed_offset_and_skip_logical_brokers()
    {
        const string json = """
            {"brokers":{
               "b1:9092/1":{"nodeid":1,"source":"configured","rtt":{"avg":2500,"cnt":4}},
               "GroupCoordinator":{"nodeid":1,"source":"logical","rtt":{"avg":30,"cnt":2}},
               "b2:9092/bootstrap":{"nodeid":-1,"source":"configured","rtt":{"avg":100,"cnt":1}}},
             "topics":{"in":{"partitions":{
               "0":{"consumer_lag":-1,"fetch_state":"active","ls_offset":120,"app_offset":100},
               "1":{"consumer_lag":7,"fetch_state":"active","ls_offset":50,"app_offset":50},
               "2":{"consumer_lag":-1,"fetch_state":"none","ls_offset":-1001,"app_offset":-1001},
               "-1":{"consumer_lag":-1,"fetch_state":"none"}}}}}
            """;

        var (lags, roundTrips) = KafkaStatistics.Select(json);

        Assert.Equal([new PartitionLag("in", 0, 20), new PartitionLag("in", 1, 7)], lags);
        Assert.Equal([new BrokerRoundTrip("b1:9092/1", 0.0025)], roundTrips);
    }

    [Fact]
    public void Static_membership_and_the_transaction_timeout_reach_the_client_configurations()
    {
        var kafka = new KafkaOptions { BootstrapServers = "b:9092", InstanceId = "processor-2", StaticMembership = true, TransactionTimeout = TimeSpan.FromSeconds(20) };

        Assert.Equal("processor-2", KafkaClientConfigs.Processing(kafka).GroupInstanceId);
        Assert.Equal(20_000, KafkaClientConfigs.Output(kafka, ProcessingGuarantee.ExactlyOnce, kafka.InstanceId).TransactionTimeoutMs);
        Assert.Null(KafkaClientConfigs.Processing(new KafkaOptions { BootstrapServers = "b:9092" }).GroupInstanceId);
        Assert.Equal(10_000, KafkaClientConfigs.Output(new KafkaOptions(), ProcessingGuarantee.ExactlyOnce, "i").TransactionTimeoutMs);
    }
}
