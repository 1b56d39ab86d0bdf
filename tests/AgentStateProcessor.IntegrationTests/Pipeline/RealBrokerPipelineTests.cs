using AgentStateProcessor.IntegrationTests.Faults;
using AgentStateProcessor.IntegrationTests.Infrastructure;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace AgentStateProcessor.IntegrationTests.Pipeline;

/// <summary>
/// The pipeline scenarios on Apache Kafka in Docker, and what the mock cluster cannot show: offsets
/// stored by the transaction, aborted records hidden from read_committed readers, compacted topics.
/// Where no Docker engine runs, every test here reports itself skipped with that reason.
/// </summary>
public sealed class RealBrokerPipelineTests(RealBrokerFixture fixture)
    : PipelineScenarios<RealBrokerFixture>(fixture), IClassFixture<RealBrokerFixture>
{
    private const int RecordCount = 2_000;
    private static readonly TimeSpan CrashedHostWorkTimeout = TimeSpan.FromSeconds(90);

    [SkippableFact]
    public async Task Under_exactly_once_the_offsets_sent_in_the_transaction_are_the_groups_committed_offsets_at_the_end_of_the_input()
    {
        SkipUnlessAvailable();
        var topics = PipelineTopics.Create(Cluster, inputPartitions: 3, dnPartitions: 2);
        ProducedInput.Produce(BootstrapServers, topics.Input, ProducedInput.Simulate(seed: 51, RecordCount));
        const string group = "transactional-offsets";

        await using (var host = await ProcessorHost.StartAsync(topics.Settings(BootstrapServers, group)))
        {
            await host.WaitUntilConsumedAsync(RecordCount);
            await host.StopAsync();
        }

        var ends = KafkaTestClient.EndOffsets(BootstrapServers, topics.Input);
        Assert.All(ends, end => Assert.True(end.Value > 0, $"input partition {end.Key.Partition.Value} got no records"));
        using var reader = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig { BootstrapServers = BootstrapServers, GroupId = group }).Build();
        var committed = reader.Committed(ends.Keys, KafkaTestClient.DefaultTimeout);
        Assert.Equal(
            ends.Select(end => (end.Key.Partition.Value, end.Value)).Order(),
            committed.Select(c => (c.Partition.Value, c.Offset.Value)).Order());
    }

    [SkippableFact]
    public async Task The_processor_creates_missing_output_topics_with_the_snapshot_and_progress_topics_compacted_and_the_change_topic_not()
    {
        SkipUnlessAvailable();
        // Only the input exists: the DN topics then take the input's partition count.
        var topics = PipelineTopics.Create(Cluster, inputPartitions: 3, dnPartitions: 3,
            skip: [t => t.AgentSnapshots, t => t.DnSnapshots, t => t.AgentStateChanges, t => t.DnRepartition, t => t.DeadLetters, t => t.Progress]);

        await using (var host = await ProcessorHost.StartAsync(topics.Settings(BootstrapServers, "provisioning")))
        {
            await host.StopAsync();
            // The provisioner warns when it cannot create a topic or read a configuration, or finds one not compacted.
            var warnings = host.Logs.Entries.Where(e => e.Level >= LogLevel.Warning && e.Category.EndsWith("TopicProvisioner", StringComparison.Ordinal));
            Assert.Empty(warnings);
        }

        Assert.Equal(
            [("compact", 3), ("compact", 3), ("compact", 1), ("delete", 3), ("delete", 3), ("delete", 3)],
            new[] { topics.AgentSnapshots, topics.DnSnapshots, topics.Progress, topics.AgentStateChanges, topics.DeadLetters, topics.DnRepartition }
                .Select(topic => (Cluster.TopicConfig(topic)["cleanup.policy"], KafkaTestClient.PartitionsOf(BootstrapServers, topic).Count)));
    }

    /// <remarks>
    /// Host A runs in its own process with a commit interval longer than the test, so all it writes
    /// stays in its open transaction until it is killed. Host B has A's instance id, hence A's
    /// transactional id: initialising its producer aborts A's transaction. Both of A's kinds of
    /// output are counted in the log and as read_committed readers see it; on the mock cluster,
    /// which delivers aborted records, the test fails with every dead letter written twice.
    /// </remarks>
    [SkippableFact]
    public async Task After_a_host_is_killed_mid_transaction_read_committed_readers_see_none_of_its_records_and_its_successor_applies_each_record_once()
    {
        SkipUnlessAvailable();
        var topics = PipelineTopics.Create(Cluster, inputPartitions: 3, dnPartitions: 2);
        var input = ProducedInput.Produce(BootstrapServers, topics.Input, ProducedInput.Simulate(seed: 53, RecordCount));
        var reference = ReferenceRun.Of(input);
        var expectedDeadLetters = reference.DeadLetters.Count;
        Assert.True(expectedDeadLetters > 0, "the input should contain invalid records");
        var settings = topics.Settings(BootstrapServers, "killed", instanceId: "replica-0");

        // The transaction must stay open until the kill, however slowly a loaded machine writes it.
        using (var hostA = ProcessorProcess.Start(topics.Settings(BootstrapServers, "killed", instanceId: "replica-0",
            extra: [("Processing:CommitInterval", "00:05:00"), ("Kafka:TransactionTimeout", "00:05:00")])))
        {
            // Uncommitted records count in the high watermark: once A's dead letters are all there, it is mid-transaction.
            await hostA.WaitUntilAsync(() => KafkaTestClient.EndOffsets(BootstrapServers, topics.DeadLetters).Values.Sum() >= expectedDeadLetters,
                $"host A's {expectedDeadLetters} dead letters written in its open transaction", CrashedHostWorkTimeout);
            hostA.Kill();
        }

        long repartitionedByB;
        await using (var hostB = await ProcessorHost.StartAsync(settings, RejoinTimeout))
        {
            await hostB.WaitUntilConsumedAsync(RecordCount);
            await hostB.StopAsync();
            Assert.True(hostB.Metrics.Duplicates == 0, $"host B folded records twice: {hostB.Describe()}");
            repartitionedByB = hostB.Metrics.Repartitioned;
        }

        // A's copies are in the log (read_uncommitted shows them) and hidden from read_committed readers.
        Assert.Equal(2 * expectedDeadLetters,
            KafkaTestClient.ConsumeAllToEnd(BootstrapServers, topics.DeadLetters, isolation: IsolationLevel.ReadUncommitted).Count);
        var repartitionLog = KafkaTestClient.ConsumeAllToEnd(BootstrapServers, topics.DnRepartition, isolation: IsolationLevel.ReadUncommitted).Count;
        Assert.True(repartitionLog > repartitionedByB, $"the repartition topic should hold host A's aborted records besides B's {repartitionedByB}; it holds {repartitionLog}");
        Assert.Equal(repartitionedByB, KafkaTestClient.ConsumeAllToEnd(BootstrapServers, topics.DnRepartition).Count);
        PipelineAssert.ExactDeadLetters(reference.DeadLetters, SnapshotTopics.ReadAll(BootstrapServers, topics.DeadLetters));
        PipelineAssert.SameAgents(reference.Agents, SnapshotTopics.ReadAgents(BootstrapServers, topics.AgentSnapshots));
        PipelineAssert.SameDns(reference.Dns, SnapshotTopics.ReadDns(BootstrapServers, topics.DnSnapshots));
        // A real broker hides A's aborted changes: B's redo must have written each change exactly once.
        PipelineAssert.ChangesMatch(reference.Changes, BootstrapServers, topics.AgentStateChanges);
    }

    /// <remarks>
    /// The mock-cluster version (<see cref="HardKillTests"/>) has to tell the killed runs' aborted dead
    /// letters apart from committed ones; a real broker hides them from read_committed readers.
    /// </remarks>
    [SkippableFact]
    public async Task Processors_killed_at_random_moments_while_input_arrives_leave_every_snapshot_a_fold_to_its_source_exactly_one_dead_letter_per_malformed_record_and_exactly_the_folds_changes()
    {
        SkipUnlessAvailable();
        var topics = PipelineTopics.Create(Cluster, inputPartitions: 3, dnPartitions: 3);
        var (ledger, input) = await HardKillScenario.RunAsync(BootstrapServers, topics, kills: 5, seed: 57, log: _ => { }, topics.AgentStateChanges);

        var reference = ReferenceRun.Of(input);
        Assert.Equal(5, ledger.Runs.Count);
        PipelineAssert.SameAgents(reference.Agents, SnapshotTopics.ReadAgents(BootstrapServers, topics.AgentSnapshots));
        PipelineAssert.SameDns(reference.Dns, SnapshotTopics.ReadDns(BootstrapServers, topics.DnSnapshots));
        PipelineAssert.EveryAgentSnapshotIsTheFoldUpToItsSource(reference, SnapshotTopics.ReadEveryAgent(BootstrapServers, topics.AgentSnapshots));
        PipelineAssert.EveryDnSnapshotIsTheFoldUpToItsSource(reference, SnapshotTopics.ReadEveryDn(BootstrapServers, topics.DnSnapshots));
        Assert.NotEmpty(reference.DeadLetters);
        PipelineAssert.ExactDeadLetters(reference.DeadLetters, SnapshotTopics.ReadAll(BootstrapServers, topics.DeadLetters));
        // The killed runs' aborted changes stay hidden: exactly the fold's changes, no extra copy.
        Assert.NotEmpty(reference.Changes);
        PipelineAssert.ChangesMatch(reference.Changes, BootstrapServers, topics.AgentStateChanges);
    }
}
