using AgentStateProcessor.Configuration;
using AgentStateProcessor.IntegrationTests.Infrastructure;

namespace AgentStateProcessor.IntegrationTests.Pipeline;

/// <summary>
/// Group offsets gone (a new group id stands for offset retention expiring after downtime). Under
/// at-least-once the group's committed offsets are real on the mock, so losing them matters here.
/// </summary>
public sealed class LostOffsetsTests(MockClusterFixture fixture) : IClassFixture<MockClusterFixture>
{
    private const int Processed = 1_000;
    private const int Later = 300;

    [Fact]
    public async Task A_host_under_a_new_group_id_resumes_from_the_stored_progress_and_applies_only_the_new_records()
    {
        var topics = PipelineTopics.Create(fixture, inputPartitions: 3, dnPartitions: 3);
        var records = ProducedInput.Simulate(seed: 31, Processed + Later);
        var input = ProducedInput.Produce(fixture.BootstrapServers, topics.Input, records.Take(Processed).ToList()).ToList();
        await RunUntilConsumedAsync(topics.Settings(fixture.BootstrapServers, "lost-offsets-old", ProcessingGuarantee.AtLeastOnce), Processed);

        input.AddRange(ProducedInput.Produce(fixture.BootstrapServers, topics.Input, records.Skip(Processed).ToList()));
        var hostB = await RunUntilConsumedAsync(topics.Settings(fixture.BootstrapServers, "lost-offsets-new", ProcessingGuarantee.AtLeastOnce), Later);

        Assert.True(hostB.Duplicates == 0, $"the new group re-read {hostB.Duplicates} records the old one had applied");
        var reference = ReferenceRun.Of(input);
        PipelineAssert.SameAgents(reference.Agents, SnapshotTopics.ReadAgents(fixture.BootstrapServers, topics.AgentSnapshots));
        PipelineAssert.SameDns(reference.Dns, SnapshotTopics.ReadDns(fixture.BootstrapServers, topics.DnSnapshots));
        PipelineAssert.ExactDeadLetters(reference.DeadLetters, SnapshotTopics.ReadAll(fixture.BootstrapServers, topics.DeadLetters));
    }

    [Fact]
    public async Task With_group_offsets_and_progress_both_lost_the_replayed_input_changes_no_state_because_snapshots_carry_their_positions()
    {
        var topics = PipelineTopics.Create(fixture, inputPartitions: 3, dnPartitions: 3);
        var records = ProducedInput.Simulate(seed: 32, Processed + Later);
        var input = ProducedInput.Produce(fixture.BootstrapServers, topics.Input, records.Take(Processed).ToList()).ToList();
        var hostA = await RunUntilConsumedAsync(topics.Settings(fixture.BootstrapServers, "lost-all-old", ProcessingGuarantee.AtLeastOnce), Processed);

        input.AddRange(ProducedInput.Produce(fixture.BootstrapServers, topics.Input, records.Skip(Processed).ToList()));
        // A fresh progress topic: the new host knows nothing but what the snapshot topics say.
        var freshProgress = $"{topics.Progress}-fresh";
        fixture.CreateTopic(freshProgress, 1, compacted: true);
        var settings = topics.Settings(fixture.BootstrapServers, "lost-all-new", ProcessingGuarantee.AtLeastOnce, extra: ("Topics:Progress", freshProgress));
        // It reads the input and the repartition topic from their beginnings: host A's repartition records too.
        var hostB = await RunUntilConsumedAsync(settings, Processed + Later, hostA.Repartitioned);

        var reference = ReferenceRun.Of(input);
        Assert.True(hostB.Duplicates > 0, "the new host should have re-read the old input and recognised it");
        PipelineAssert.SameAgents(reference.Agents, SnapshotTopics.ReadAgents(fixture.BootstrapServers, topics.AgentSnapshots));
        PipelineAssert.SameDns(reference.Dns, SnapshotTopics.ReadDns(fixture.BootstrapServers, topics.DnSnapshots));
    }

    private static async Task<Kafka.PipelineMetrics> RunUntilConsumedAsync(Dictionary<string, string?> settings, int inputRecords, long earlierRepartitionRecords = 0)
    {
        await using var host = await ProcessorHost.StartAsync(settings);
        await host.WaitUntilConsumedAsync(inputRecords, earlierRepartitionRecords);
        await host.StopAsync();
        return host.Metrics;
    }
}
