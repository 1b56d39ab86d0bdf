using AgentStateProcessor.Configuration;
using AgentStateProcessor.IntegrationTests.Infrastructure;

namespace AgentStateProcessor.IntegrationTests.Pipeline;

/// <summary>
/// A stopped host and a new one in the same group on the same topics: together exactly one pass over
/// the input. One class per guarantee so that xUnit runs them in parallel: on the mock cluster
/// (librdkafka 2.0.2) a group whose last member left stays in a rebalance for the session timeout
/// less one second (44 s with the client's default), and a member joining meanwhile waits for it.
/// </summary>
internal static class RestartScenario
{
    private const int FirstHalf = 1_000;
    private const int SecondHalf = 1_000;
    private static readonly TimeSpan RejoinTimeout = TimeSpan.FromSeconds(90);

    public static async Task RunAsync(MockClusterFixture fixture, ProcessingGuarantee guarantee)
    {
        var topics = PipelineTopics.Create(fixture.Cluster, inputPartitions: 3, dnPartitions: 2);
        var settings = topics.Settings(fixture.BootstrapServers, $"restart-{guarantee}", guarantee);
        var records = ProducedInput.Simulate(seed: 21, FirstHalf + SecondHalf);

        var input = ProducedInput.Produce(fixture.BootstrapServers, topics.Input, records.Take(FirstHalf).ToList()).ToList();
        await using (var hostA = await ProcessorHost.StartAsync(settings))
        {
            await hostA.WaitUntilConsumedAsync(FirstHalf);
            await hostA.StopAsync();
        }

        input.AddRange(ProducedInput.Produce(fixture.BootstrapServers, topics.Input, records.Skip(FirstHalf).ToList()));
        await using (var hostB = await ProcessorHost.StartAsync(settings, RejoinTimeout))
        {
            await hostB.WaitUntilConsumedAsync(SecondHalf);
            await hostB.StopAsync();
            Assert.True(hostB.Metrics.Duplicates == 0, $"host B re-read input host A had processed: {hostB.Describe()}");
        }

        var reference = ReferenceRun.Of(input);
        PipelineAssert.SameAgents(reference.Agents, SnapshotTopics.ReadAgents(fixture.BootstrapServers, topics.AgentSnapshots));
        PipelineAssert.SameDns(reference.Dns, SnapshotTopics.ReadDns(fixture.BootstrapServers, topics.DnSnapshots));
        PipelineAssert.ExactDeadLetters(reference.DeadLetters, SnapshotTopics.ReadAll(fixture.BootstrapServers, topics.DeadLetters));
    }
}

public sealed class RestartUnderExactlyOnceTests(MockClusterFixture fixture) : IClassFixture<MockClusterFixture>
{
    [Fact]
    public Task A_new_host_in_the_group_resumes_where_the_stopped_one_left_off_applying_and_dead_lettering_each_record_once() =>
        RestartScenario.RunAsync(fixture, ProcessingGuarantee.ExactlyOnce);
}

public sealed class RestartUnderAtLeastOnceTests(MockClusterFixture fixture) : IClassFixture<MockClusterFixture>
{
    [Fact]
    public Task A_new_host_in_the_group_resumes_where_the_stopped_one_left_off_applying_and_dead_lettering_each_record_once() =>
        RestartScenario.RunAsync(fixture, ProcessingGuarantee.AtLeastOnce);
}
