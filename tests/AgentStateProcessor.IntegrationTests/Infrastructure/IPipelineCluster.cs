namespace AgentStateProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// A Kafka cluster the pipeline scenarios run on: the librdkafka mock cluster in this process, or a
/// real broker in Docker. The scenarios see only this, so both run the same code path.
/// </summary>
public interface IPipelineCluster
{
    string BootstrapServers { get; }

    /// <summary>Why this cluster cannot run here (the tests then report themselves skipped with it), or null.</summary>
    string? UnavailableReason { get; }

    /// <summary>Creates a topic the way an operator would; <paramref name="compacted"/> sets cleanup.policy=compact where the cluster compacts.</summary>
    void CreateTopic(string name, int partitions, bool compacted);
}
