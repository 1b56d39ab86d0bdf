using AgentStateProcessor.IntegrationTests.Infrastructure;
using AgentStateProcessor.IntegrationTests.SchemaRegistry;
using AgentStateProcessor.Kafka;
using AgentStateProcessor.SchemaRegistry;
using Microsoft.Extensions.Options;

namespace AgentStateProcessor.IntegrationTests.Pipeline;

/// <summary>Configurations the processor cannot run with stop it at start-up, saying what is wrong.</summary>
public sealed class StartupTests(MockClusterFixture fixture) : IClassFixture<MockClusterFixture>
{
    [Fact]
    public async Task An_agent_snapshot_topic_with_other_partitions_than_the_input_stops_the_host_with_a_topology_error_naming_both()
    {
        var topics = PipelineTopics.Create(fixture, inputPartitions: 3, dnPartitions: 2, agentSnapshotPartitions: 2);

        var failure = await ProcessorHost.StartExpectingFailureAsync(topics.Settings(fixture.BootstrapServers, "startup-mismatch"));

        var topology = Assert.IsType<TopologyException>(failure);
        Assert.Contains($"'{topics.AgentSnapshots}' has 2 partitions but must have 3", topology.Message);
        Assert.Contains($"'{topics.Input}'", topology.Message);
    }

    [Fact]
    public async Task A_change_topic_with_other_partitions_than_the_input_stops_the_host_with_a_topology_error_naming_both()
    {
        var topics = PipelineTopics.Create(fixture, inputPartitions: 3, dnPartitions: 2, changePartitions: 1);

        var failure = await ProcessorHost.StartExpectingFailureAsync(topics.Settings(fixture.BootstrapServers, "startup-changes"));

        var topology = Assert.IsType<TopologyException>(failure);
        Assert.Contains($"'{topics.AgentStateChanges}' has 1 partitions but must have 3", topology.Message);
        Assert.Contains($"'{topics.Input}'", topology.Message);
    }

    [Fact]
    public async Task A_missing_input_topic_stops_the_host_with_a_topology_error_naming_the_topic_and_the_setting()
    {
        var topics = PipelineTopics.Create(fixture, inputPartitions: 3, dnPartitions: 3, skip: t => t.Input);

        var failure = await ProcessorHost.StartExpectingFailureAsync(topics.Settings(fixture.BootstrapServers, "startup-missing"));

        var topology = Assert.IsType<TopologyException>(failure);
        Assert.Contains($"'{topics.Input}' does not exist", topology.Message);
        Assert.Contains("Topics:Input", topology.Message);
    }

    [Fact]
    public async Task A_repartition_topic_with_other_partitions_than_the_dn_snapshot_topic_stops_the_host_with_a_topology_error_naming_both()
    {
        var topics = PipelineTopics.Create(fixture, inputPartitions: 2, dnPartitions: 3, repartitionPartitions: 4);

        var failure = await ProcessorHost.StartExpectingFailureAsync(topics.Settings(fixture.BootstrapServers, "startup-repartition"));

        var topology = Assert.IsType<TopologyException>(failure);
        Assert.Contains($"'{topics.DnRepartition}' has 4 partitions but must have 3", topology.Message);
        Assert.Contains($"'{topics.DnSnapshots}'", topology.Message);
    }

    [Fact]
    public async Task A_missing_output_topic_the_cluster_cannot_create_stops_the_host_naming_it()
    {
        // The mock cluster answers CreateTopics with a timeout, as a cluster that forbids it might.
        var topics = PipelineTopics.Create(fixture, inputPartitions: 2, dnPartitions: 2, skip: t => t.Progress);

        var failure = await ProcessorHost.StartExpectingFailureAsync(topics.Settings(fixture.BootstrapServers, "startup-no-progress"));

        var topology = Assert.IsType<TopologyException>(failure);
        Assert.Contains(topics.Progress, topology.Message);
        Assert.DoesNotContain(topics.AgentSnapshots, topology.Message);
    }

    /// <remarks>Unlike a registry that cannot be asked, which the host waits out, refused credentials are a configuration error no wait mends.</remarks>
    [Fact]
    public async Task A_schema_registry_that_refuses_the_credentials_stops_the_host_with_one_critical_line_naming_the_settings()
    {
        var topics = PipelineTopics.Create(fixture, inputPartitions: 1, dnPartitions: 1);
        await using var registry = await TestSchemaRegistryServer.StartAsync(requiredCredentials: ("processor", "right-password"));

        var (failure, logs) = await ProcessorHost.StartExpectingFailureWithLogsAsync(topics.Settings(fixture.BootstrapServers, "startup-registry",
            extra: [("SchemaRegistry:Url", registry.Url.ToString()), ("SchemaRegistry:BasicAuthUsername", "processor"), ("SchemaRegistry:BasicAuthPassword", "wrong-password")]));

        var refused = Assert.IsType<SchemaRegistryAuthenticationException>(failure);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
        var critical = Assert.Single(logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Critical);
        Assert.Contains("refused the credentials", critical.Message);
        Assert.Contains("SchemaRegistry:BasicAuthUsername/BasicAuthPassword", critical.Message);
        Assert.DoesNotContain("wrong-password", critical.Message);
    }

    [Theory]
    [InlineData("Processing:CommitInterval", "00:00:00")]
    [InlineData("Processing:MaxMessageBytes", "10")]
    [InlineData("Kafka:SecurityProtocol", "Bogus")]
    [InlineData("Kafka:GroupId", " ")]
    [InlineData("Topics:DeadLetters", "dead letters!")]
    [InlineData("Topics:AgentStateChanges", "")]
    public async Task A_bad_setting_fails_the_start_with_an_options_validation_error_naming_it(string setting, string value)
    {
        var topics = PipelineTopics.Create(fixture, inputPartitions: 1, dnPartitions: 1);

        var failure = await ProcessorHost.StartExpectingFailureAsync(topics.Settings(fixture.BootstrapServers, "startup-options", extra: (setting, value)));

        var validation = Assert.IsType<OptionsValidationException>(failure);
        Assert.Contains(setting, validation.Message);
    }
}
