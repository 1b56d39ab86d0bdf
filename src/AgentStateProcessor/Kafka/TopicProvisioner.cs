using AgentStateProcessor.Configuration;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Logging;

namespace AgentStateProcessor.Kafka;

/// <summary>Partition counts the topology runs with, checked against each other.</summary>
internal sealed record TopicLayout(int InputPartitions, int DnPartitions, int ProgressPartitions, int DeadLetterPartitions);

/// <summary>
/// Creates missing output topics (snapshots compacted, the change topic not) where the Admin API
/// allows, then checks that the partition counts can work: the agent snapshot and change topics must
/// match the input, the repartition topic the DN snapshot topic. Where topics cannot be created (the mock cluster
/// implements no CreateTopics) it says so and continues with what exists.
/// </summary>
internal sealed class TopicProvisioner(KafkaOptions kafka, TopicOptions topics, ILogger<TopicProvisioner> logger)
{
    private static readonly TimeSpan AdminTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MetadataPropagationTimeout = TimeSpan.FromSeconds(10);

    public async Task<TopicLayout> EnsureAsync(CancellationToken cancellationToken)
    {
        using var admin = new AdminClientBuilder(KafkaClientConfigs.Admin(kafka)).Build();
        var existing = PartitionCounts(admin);
        if (!existing.TryGetValue(topics.Input, out var inputPartitions))
        {
            throw new TopologyException($"the input topic '{topics.Input}' does not exist (Topics:Input); create it, then start again");
        }
        var dnPartitions = existing.GetValueOrDefault(topics.DnSnapshots, inputPartitions);
        var compact = new Dictionary<string, string> { ["cleanup.policy"] = "compact" };
        var wanted = new[]
        {
            new TopicSpecification { Name = topics.AgentSnapshots, NumPartitions = inputPartitions, Configs = compact },
            new TopicSpecification { Name = topics.DnSnapshots, NumPartitions = dnPartitions, Configs = compact },
            // A history for analytics: every change is kept for the retention time, none replaced by a later one.
            new TopicSpecification { Name = topics.AgentStateChanges, NumPartitions = inputPartitions },
            new TopicSpecification { Name = topics.DnRepartition, NumPartitions = dnPartitions },
            new TopicSpecification { Name = topics.DeadLetters, NumPartitions = inputPartitions },
            new TopicSpecification { Name = topics.Progress, NumPartitions = 1, Configs = compact },
        };
        var missing = wanted.Where(t => !existing.ContainsKey(t.Name)).ToList();
        if (missing.Count > 0)
        {
            var created = await CreateAsync(admin, missing, cancellationToken);
            existing = await PartitionCountsOnceVisibleAsync(admin, created, cancellationToken);
        }

        var stillMissing = wanted.Where(t => !existing.ContainsKey(t.Name)).Select(t => t.Name).ToList();
        if (stillMissing.Count > 0)
        {
            throw new TopologyException($"topics {string.Join(", ", stillMissing)} do not exist and could not be created; create them (snapshot and progress topics with cleanup.policy=compact)");
        }
        Require(existing, topics.AgentSnapshots, inputPartitions, $"the input topic '{topics.Input}'");
        Require(existing, topics.AgentStateChanges, inputPartitions, $"the input topic '{topics.Input}'");
        Require(existing, topics.DnRepartition, existing[topics.DnSnapshots], $"the DN snapshot topic '{topics.DnSnapshots}'");
        await WarnUnlessCompactedAsync(admin, [topics.AgentSnapshots, topics.DnSnapshots, topics.Progress]);

        var layout = new TopicLayout(inputPartitions, existing[topics.DnSnapshots], existing[topics.Progress], existing[topics.DeadLetters]);
        logger.LogInformation("Topics ready: {InputTopic} with {InputPartitions} partitions, {DnTopic} with {DnPartitions}",
            topics.Input, layout.InputPartitions, topics.DnSnapshots, layout.DnPartitions);
        return layout;
    }

    private Dictionary<string, int> PartitionCounts(IAdminClient admin)
    {
        try
        {
            return admin.GetMetadata(AdminTimeout).Topics
                .Where(t => t.Error.Code == ErrorCode.NoError && t.Partitions.Count > 0)
                .ToDictionary(t => t.Topic, t => t.Partitions.Count);
        }
        catch (KafkaException e)
        {
            throw new TopologyException($"cannot read the topics of the Kafka cluster at '{kafka.BootstrapServers}' (Kafka:BootstrapServers): {e.Error.Reason}");
        }
    }

    /// <summary>
    /// A broker acknowledges CreateTopics before every broker's metadata shows the new topics; reading
    /// the metadata at once can miss them. Waits a bounded time for them to appear.
    /// </summary>
    private async Task<Dictionary<string, int>> PartitionCountsOnceVisibleAsync(IAdminClient admin, List<string> created, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + MetadataPropagationTimeout;
        while (true)
        {
            var existing = PartitionCounts(admin);
            if (created.All(existing.ContainsKey) || DateTime.UtcNow >= deadline) return existing;
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

    /// <returns>The topics the cluster created; those it refused are logged.</returns>
    private async Task<List<string>> CreateAsync(IAdminClient admin, List<TopicSpecification> missing, CancellationToken cancellationToken)
    {
        try
        {
            await admin.CreateTopicsAsync(missing, new CreateTopicsOptions { RequestTimeout = AdminTimeout, OperationTimeout = AdminTimeout })
                .WaitAsync(cancellationToken);
            logger.LogInformation("Created topics {Topics}", string.Join(", ", missing.Select(t => $"{t.Name} ({t.NumPartitions} partitions)")));
            return missing.Select(t => t.Name).ToList();
        }
        catch (CreateTopicsException e)
        {
            foreach (var result in e.Results.Where(r => r.Error.IsError && r.Error.Code != ErrorCode.TopicAlreadyExists))
            {
                logger.LogWarning("Could not create topic {Topic}: {Reason}", result.Topic, result.Error.Reason);
            }
            return e.Results.Where(r => !r.Error.IsError).Select(r => r.Topic).ToList();
        }
        catch (KafkaException e)
        {
            logger.LogWarning("The cluster did not create topics {Topics} ({Reason}); continuing with the topics that exist",
                string.Join(", ", missing.Select(t => t.Name)), e.Error.Reason);
            return [];
        }
    }

    private async Task WarnUnlessCompactedAsync(IAdminClient admin, IEnumerable<string> names)
    {
        try
        {
            var results = await admin.DescribeConfigsAsync(
                names.Select(n => new ConfigResource { Type = ResourceType.Topic, Name = n }),
                // Only a warning hangs on it: a cluster that cannot answer quickly is not waited for.
                new DescribeConfigsOptions { RequestTimeout = TimeSpan.FromSeconds(2) });
            foreach (var result in results)
            {
                if (result.Entries.TryGetValue("cleanup.policy", out var policy) && !policy.Value.Contains("compact", StringComparison.Ordinal))
                {
                    logger.LogWarning("Topic {Topic} has cleanup.policy={Policy}; snapshot and progress topics should be compacted", result.ConfigResource.Name, policy.Value);
                }
            }
        }
        catch (KafkaException e)
        {
            logger.LogWarning("Could not read topic configurations to check compaction ({Reason})", e.Error.Reason);
        }
    }

    private static void Require(Dictionary<string, int> existing, string topic, int partitions, string reason)
    {
        if (existing[topic] != partitions)
        {
            throw new TopologyException($"topic '{topic}' has {existing[topic]} partitions but must have {partitions}, as many as {reason}");
        }
    }
}

/// <summary>The cluster or its topics cannot carry the topology: a configuration problem, fatal at start-up.</summary>
internal sealed class TopologyException(string message) : Exception(message);
