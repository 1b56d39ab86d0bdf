using AgentStateProcessor.Kafka;

namespace AgentStateProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// One mock cluster per test class (<c>IClassFixture&lt;MockClusterFixture&gt;</c>). Tests isolate themselves
/// with unique topic names; a test that injects faults into brokers starts its own cluster instead.
/// </summary>
public sealed class MockClusterFixture : IPipelineCluster, IDisposable
{
    private const int DefaultBrokerCount = 3;

    internal MockKafkaCluster Cluster { get; } = MockKafkaCluster.Start(DefaultBrokerCount);

    public string BootstrapServers => Cluster.BootstrapServers;

    public string? UnavailableReason => null;

    /// <remarks>The mock neither compacts nor keeps topic configurations, so <paramref name="compacted"/> has no effect.</remarks>
    public void CreateTopic(string name, int partitions, bool compacted) => Cluster.CreateTopic(name, partitions);

    /// <summary>Creates a topic named <paramref name="prefix"/> plus a unique suffix and returns its name.</summary>
    public string CreateUniqueTopic(string prefix, int partitions) => CreateUniqueTopic(Cluster, prefix, partitions);

    internal static string CreateUniqueTopic(MockKafkaCluster cluster, string prefix, int partitions)
    {
        var topic = $"{prefix}-{Guid.NewGuid():N}";
        cluster.CreateTopic(topic, partitions);
        return topic;
    }

    public void Dispose() => Cluster.Dispose();
}
