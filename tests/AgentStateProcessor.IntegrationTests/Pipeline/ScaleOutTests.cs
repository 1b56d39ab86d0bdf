using System.Text.RegularExpressions;
using AgentStateProcessor.IntegrationTests.Infrastructure;

namespace AgentStateProcessor.IntegrationTests.Pipeline;

/// <summary>Two replicas sharing one consumer group, as the Helm chart deploys them.</summary>
public sealed class ScaleOutTests(MockClusterFixture fixture) : IClassFixture<MockClusterFixture>
{
    private const int RecordCount = 2_000;
    // A member joining a running group on the mock waits 44 s for the rebalance; both hosts start
    // together to share the first join window (3 s), but a slow start must not fail the test.
    private static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Two_instances_in_one_group_each_take_some_partitions_and_together_write_the_complete_state()
    {
        var topics = PipelineTopics.Create(fixture, inputPartitions: 4, dnPartitions: 4);
        var hosts = await Task.WhenAll(
            ProcessorHost.StartAsync(topics.Settings(fixture.BootstrapServers, "scale-out", instanceId: "replica-x"), JoinTimeout),
            ProcessorHost.StartAsync(topics.Settings(fixture.BootstrapServers, "scale-out", instanceId: "replica-y"), JoinTimeout));
        await using var x = hosts[0];
        await using var y = hosts[1];

        var input = ProducedInput.Produce(fixture.BootstrapServers, topics.Input, ProducedInput.Simulate(seed: 41, RecordCount));
        await x.WaitUntilAsync(_ =>
        {
            var consumed = x.Metrics.Consumed + y.Metrics.Consumed;
            return consumed >= RecordCount + x.Metrics.Repartitioned + y.Metrics.Repartitioned;
        }, $"{RecordCount} input records and their repartition records consumed by the two hosts together");
        // Before stopping: when one host leaves, the other takes over every partition.
        var inputPartitionsOfX = AssignedPartitions(x, topics.Input);
        var inputPartitionsOfY = AssignedPartitions(y, topics.Input);
        await Task.WhenAll(x.StopAsync(), y.StopAsync());

        Assert.NotEmpty(inputPartitionsOfX);
        Assert.NotEmpty(inputPartitionsOfY);
        Assert.Empty(inputPartitionsOfX.Intersect(inputPartitionsOfY));
        Assert.Equal([0, 1, 2, 3], inputPartitionsOfX.Union(inputPartitionsOfY).Order());
        Assert.True(x.Metrics.AgentApplied > 0 && y.Metrics.AgentApplied > 0,
            $"both hosts should have applied input: x {x.Metrics.AgentApplied}, y {y.Metrics.AgentApplied}");

        var reference = ReferenceRun.Of(input);
        PipelineAssert.SameAgents(reference.Agents, SnapshotTopics.ReadAgents(fixture.BootstrapServers, topics.AgentSnapshots));
        PipelineAssert.SameDns(reference.Dns, SnapshotTopics.ReadDns(fixture.BootstrapServers, topics.DnSnapshots));
        PipelineAssert.ExactDeadLetters(reference.DeadLetters, SnapshotTopics.ReadAll(fixture.BootstrapServers, topics.DeadLetters));
    }

    /// <summary>The input partitions of the host's latest assignment, as its log states them ("topic [[p]]").</summary>
    private static IReadOnlyList<int> AssignedPartitions(ProcessorHost host, string inputTopic)
    {
        var assignment = host.Logs.Entries.LastOrDefault(e => e.Message.StartsWith("Assigned ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"the host logged no assignment. {host.Describe()}");
        return Regex.Matches(assignment.Message, Regex.Escape(inputTopic) + @" \[\[(\d+)\]\]")
            .Select(m => int.Parse(m.Groups[1].Value))
            .ToList();
    }
}
