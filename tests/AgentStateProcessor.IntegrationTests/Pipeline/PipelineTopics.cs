using System.Globalization;
using AgentStateProcessor.Configuration;
using AgentStateProcessor.Kafka;

namespace AgentStateProcessor.IntegrationTests.Pipeline;

/// <summary>
/// The six topics of one processor deployment, uniquely named per test, and the configuration that
/// points a host at them. The mock cluster implements no CreateTopics, so every topic is created
/// here first and the host's provisioner only checks them.
/// </summary>
internal sealed record PipelineTopics(string Input, string AgentSnapshots, string DnSnapshots, string DeadLetters, string DnRepartition, string Progress)
{
    public static PipelineTopics Create(MockKafkaCluster cluster, int inputPartitions, int dnPartitions, int? agentSnapshotPartitions = null, bool createInput = true)
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        var topics = new PipelineTopics($"in-{id}", $"agents-{id}", $"dns-{id}", $"dlq-{id}", $"dn-repartition-{id}", $"progress-{id}");
        if (createInput) cluster.CreateTopic(topics.Input, inputPartitions);
        cluster.CreateTopic(topics.AgentSnapshots, agentSnapshotPartitions ?? inputPartitions);
        cluster.CreateTopic(topics.DnSnapshots, dnPartitions);
        cluster.CreateTopic(topics.DnRepartition, dnPartitions);
        cluster.CreateTopic(topics.DeadLetters, inputPartitions);
        cluster.CreateTopic(topics.Progress, 1);
        return topics;
    }

    /// <summary>Configuration of a host on these topics; <paramref name="extra"/> adds or overrides settings.</summary>
    public Dictionary<string, string?> Settings(
        string bootstrapServers,
        string groupId,
        ProcessingGuarantee guarantee = ProcessingGuarantee.ExactlyOnce,
        string instanceId = "instance-a",
        params (string Key, string? Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = bootstrapServers,
            ["Kafka:GroupId"] = groupId,
            ["Kafka:InstanceId"] = instanceId,
            ["Topics:Input"] = Input,
            ["Topics:AgentSnapshots"] = AgentSnapshots,
            ["Topics:DnSnapshots"] = DnSnapshots,
            ["Topics:DeadLetters"] = DeadLetters,
            ["Topics:DnRepartition"] = DnRepartition,
            ["Topics:Progress"] = Progress,
            ["Processing:Guarantee"] = guarantee.ToString(),
            // Short, so a test does not wait long for snapshots; the final commit on stop writes the rest.
            ["Processing:CommitInterval"] = TimeSpan.FromMilliseconds(200).ToString("c", CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in extra) settings[key] = value;
        return settings;
    }
}
