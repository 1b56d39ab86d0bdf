using System.Diagnostics;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using DotNet.Testcontainers.Builders;
using Testcontainers.Kafka;

namespace AgentStateProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// One Apache Kafka broker in Docker (Testcontainers) per test class, for what the mock cluster
/// cannot show: compaction settings, stored transactional offsets, aborted records hidden from
/// read_committed readers. Where Testcontainers finds no Docker engine the broker is not started and
/// <see cref="UnavailableReason"/> says why; any other failure to start it fails the tests.
/// </summary>
public sealed class RealBrokerFixture : IPipelineCluster, IAsyncLifetime
{
    /// <summary>The last 3.x release: KRaft, and every protocol version both Confluent.Kafka 1.9 and 2.x speak.</summary>
    public const string Image = "apache/kafka:3.9.1";

    private static readonly TimeSpan TopicReadyTimeout = TimeSpan.FromSeconds(30);

    private KafkaContainer? _container;
    private string? _bootstrapServers;

    public string BootstrapServers => _bootstrapServers
        ?? throw new InvalidOperationException($"The broker is not running: {UnavailableReason ?? "it was not started"}.");

    public string? UnavailableReason { get; private set; }

    public async Task InitializeAsync()
    {
        try
        {
            // Build asks Testcontainers for a reachable Docker endpoint and throws when it finds none.
            _container = new KafkaBuilder(Image).Build();
        }
        catch (DockerUnavailableException e)
        {
            UnavailableReason = $"no Docker engine ({e.Message.Split('\n')[0].Trim()})";
            return;
        }

        await _container.StartAsync();
        // host:port, without the PLAINTEXT:// scheme GetBootstrapAddress adds: every client and the options validation take this form.
        _bootstrapServers = $"{_container.Hostname}:{_container.GetMappedPublicPort(KafkaBuilder.KafkaPort)}";
    }

    /// <summary>Creates the topic through the Admin API, with one replica (one broker), and waits until every partition has a leader.</summary>
    public void CreateTopic(string name, int partitions, bool compacted)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = BootstrapServers }).Build();
        var specification = new TopicSpecification { Name = name, NumPartitions = partitions, ReplicationFactor = 1 };
        if (compacted) specification.Configs = new Dictionary<string, string> { ["cleanup.policy"] = "compact" };
        admin.CreateTopicsAsync([specification]).GetAwaiter().GetResult();
        WaitUntilLed(admin, name, partitions);
    }

    /// <summary>
    /// A created topic reaches the broker's metadata a moment later; a client that looks before then
    /// (the processor's provisioner does at once) would think it missing.
    /// </summary>
    private static void WaitUntilLed(IAdminClient admin, string topic, int partitions)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var metadata = admin.GetMetadata(topic, KafkaTestClient.DefaultTimeout).Topics.Single();
            if (!metadata.Error.IsError && metadata.Partitions.Count == partitions && metadata.Partitions.All(p => p.Leader >= 0)) return;
            if (clock.Elapsed > TopicReadyTimeout)
            {
                throw new TimeoutException($"Topic {topic} was created but has no leader for all {partitions} partitions after {TopicReadyTimeout} ({metadata.Error.Reason}).");
            }
            Thread.Sleep(100);
        }
    }

    /// <summary>The topic's configuration as the broker reports it (DescribeConfigs): name to value.</summary>
    public IReadOnlyDictionary<string, string> TopicConfig(string topic)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = BootstrapServers }).Build();
        var result = admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = topic }])
            .GetAwaiter().GetResult().Single();
        return result.Entries.ToDictionary(entry => entry.Key, entry => entry.Value.Value);
    }

    public async Task DisposeAsync()
    {
        if (_container is not null) await _container.DisposeAsync();
    }
}
