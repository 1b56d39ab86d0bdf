using System.Globalization;
using AgentStateProcessor.Configuration;
using AgentStateProcessor.IntegrationTests.Infrastructure;

namespace AgentStateProcessor.IntegrationTests.Pipeline;

/// <summary>
/// The seven topics of one processor deployment, uniquely named per test, and the configuration that
/// points a host at them. Every topic is created here first, snapshot and progress topics compacted
/// (the mock cluster implements no CreateTopics), so the host's provisioner only checks them.
/// </summary>
internal sealed record PipelineTopics(string Input, string AgentSnapshots, string DnSnapshots, string AgentStateChanges, string DeadLetters,
    string DnRepartition, string Progress)
{
    /// <param name="agentSnapshotPartitions">Default: as many as the input, as the topology requires.</param>
    /// <param name="repartitionPartitions">Default: as many as the DN snapshot topic, as the topology requires.</param>
    /// <param name="changePartitions">Default: as many as the input, as the topology requires.</param>
    /// <param name="skip">Topics not to create, to see what the host makes of their absence.</param>
    public static PipelineTopics Create(IPipelineCluster cluster, int inputPartitions, int dnPartitions,
        int? agentSnapshotPartitions = null, int? repartitionPartitions = null, int? changePartitions = null, params Func<PipelineTopics, string>[] skip)
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        var topics = new PipelineTopics($"in-{id}", $"agents-{id}", $"dns-{id}", $"changes-{id}", $"dlq-{id}", $"dn-repartition-{id}", $"progress-{id}");
        var skipped = skip.Select(name => name(topics)).ToHashSet();
        (string Name, int Partitions, bool Compacted)[] wanted =
        [
            (topics.Input, inputPartitions, false),
            (topics.AgentSnapshots, agentSnapshotPartitions ?? inputPartitions, true),
            (topics.DnSnapshots, dnPartitions, true),
            (topics.AgentStateChanges, changePartitions ?? inputPartitions, false),
            (topics.DnRepartition, repartitionPartitions ?? dnPartitions, false),
            (topics.DeadLetters, inputPartitions, false),
            (topics.Progress, 1, true),
        ];
        foreach (var (name, partitions, compacted) in wanted.Where(t => !skipped.Contains(t.Name))) cluster.CreateTopic(name, partitions, compacted);
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
            ["Topics:AgentStateChanges"] = AgentStateChanges,
            ["Topics:DeadLetters"] = DeadLetters,
            ["Topics:DnRepartition"] = DnRepartition,
            ["Topics:Progress"] = Progress,
            ["Processing:Guarantee"] = guarantee.ToString(),
            // Short, so a test does not wait long for snapshots; the final commit on stop writes the rest.
            ["Processing:CommitInterval"] = TimeSpan.FromMilliseconds(200).ToString("c", CultureInfo.InvariantCulture),
            // The mock keeps a group that lost its last member rebalancing for the session timeout
            // less one second; a short timeout keeps a same-group restart from waiting 44 s.
            ["Kafka:SessionTimeout"] = TimeSpan.FromSeconds(6).ToString("c", CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in extra) settings[key] = value;
        return settings;
    }
}
