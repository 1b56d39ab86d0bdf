using AgentStateProcessor.IntegrationTests.Infrastructure;
using AgentStateProcessor.Kafka;
using Microsoft.Extensions.Options;

namespace AgentStateProcessor.IntegrationTests.Pipeline;

/// <summary>Configurations the processor cannot run with stop it at start-up, saying what is wrong.</summary>
public sealed class StartupTests(MockClusterFixture fixture) : IClassFixture<MockClusterFixture>
{
    [Fact]
    public async Task An_agent_snapshot_topic_with_other_partitions_than_the_input_stops_the_host_with_a_topology_error_naming_both()
    {
        var topics = PipelineTopics.Create(fixture.Cluster, inputPartitions: 3, dnPartitions: 2, agentSnapshotPartitions: 2);

        var failure = await ProcessorHost.StartExpectingFailureAsync(topics.Settings(fixture.BootstrapServers, "startup-mismatch"));

        var topology = Assert.IsType<TopologyException>(failure);
        Assert.Contains($"'{topics.AgentSnapshots}' has 2 partitions but must have 3", topology.Message);
        Assert.Contains($"'{topics.Input}'", topology.Message);
    }

    [Fact]
    public async Task A_missing_input_topic_stops_the_host_with_a_topology_error_naming_the_topic_and_the_setting()
    {
        var topics = PipelineTopics.Create(fixture.Cluster, inputPartitions: 3, dnPartitions: 3, createInput: false);

        var failure = await ProcessorHost.StartExpectingFailureAsync(topics.Settings(fixture.BootstrapServers, "startup-missing"));

        var topology = Assert.IsType<TopologyException>(failure);
        Assert.Contains($"'{topics.Input}' does not exist", topology.Message);
        Assert.Contains("Topics:Input", topology.Message);
    }

    [Theory]
    [InlineData("Processing:CommitInterval", "00:00:00")]
    [InlineData("Processing:MaxMessageBytes", "10")]
    [InlineData("Kafka:SecurityProtocol", "Bogus")]
    [InlineData("Kafka:GroupId", " ")]
    [InlineData("Topics:DeadLetters", "dead letters!")]
    public async Task A_bad_setting_fails_the_start_with_an_options_validation_error_naming_it(string setting, string value)
    {
        var topics = PipelineTopics.Create(fixture.Cluster, inputPartitions: 1, dnPartitions: 1);

        var failure = await ProcessorHost.StartExpectingFailureAsync(topics.Settings(fixture.BootstrapServers, "startup-options", extra: (setting, value)));

        var validation = Assert.IsType<OptionsValidationException>(failure);
        Assert.Contains(setting, validation.Message);
    }
}
