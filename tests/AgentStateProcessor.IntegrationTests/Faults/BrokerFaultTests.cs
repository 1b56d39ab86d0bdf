using System.Diagnostics;
using AgentStateProcessor.Configuration;
using AgentStateProcessor.IntegrationTests.Infrastructure;
using AgentStateProcessor.IntegrationTests.Pipeline;
using AgentStateProcessor.Kafka;
using Confluent.Kafka;

namespace AgentStateProcessor.IntegrationTests.Faults;

/// <summary>
/// Broker faults injected through the librdkafka mock cluster while the real host processes: each
/// test on a cluster of its own, because a fault reaches every client of a cluster. The host must
/// carry on by itself and end with snapshots equal to the local fold of the same input (every
/// eventCount exact), exactly the expected dead letters and exactly the local fold's state changes; or, where Kafka makes the error fatal,
/// stop with a failure that names it.
/// </summary>
public sealed class BrokerFaultTests
{
    private const int Records = 1_200;
    private const int FirstHalf = 600;

    // Kafka protocol API keys (the mock's error stacks are per key).
    private const short Produce = 0;
    private const short Fetch = 1;
    private const short OffsetCommit = 8;
    private const short AddPartitionsToTxn = 24;
    private const short EndTxn = 26;
    private const short TxnOffsetCommit = 28;

    private static readonly TimeSpan SlowClusterTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_broker_that_goes_down_during_processing_and_comes_back_loses_and_doubles_nothing()
    {
        await RunAsync(seed: 101, "broker-down", duringProcessing: async (cluster, topics) =>
        {
            var leader = KafkaTestClient.LeaderOf(cluster.BootstrapServers, topics.Input, 0);
            cluster.SetBrokerDown(leader);
            await Task.Delay(TimeSpan.FromSeconds(3));
            cluster.SetBrokerUp(leader);
        });
    }

    [Fact]
    public async Task Moving_every_partition_leader_during_processing_loses_and_doubles_nothing()
    {
        await RunAsync(seed: 102, "leader-moved", duringProcessing: (cluster, topics) =>
        {
            foreach (var (topic, partitions) in new[] { (topics.Input, 3), (topics.AgentSnapshots, 3), (topics.DnSnapshots, 3), (topics.AgentStateChanges, 3), (topics.DnRepartition, 3), (topics.DeadLetters, 3), (topics.Progress, 1) })
            {
                for (var partition = 0; partition < partitions; partition++)
                {
                    var leader = KafkaTestClient.LeaderOf(cluster.BootstrapServers, topic, partition);
                    cluster.SetPartitionLeader(topic, partition, leader % cluster.BrokerCount + 1);
                }
            }
            return Task.CompletedTask;
        });
    }

    public static TheoryData<string, short, ErrorCode[]> RetriableErrors => new()
    {
        { "Produce", Produce, [ErrorCode.NotLeaderForPartition, ErrorCode.RequestTimedOut, ErrorCode.NotEnoughReplicas, ErrorCode.LeaderNotAvailable] },
        { "Fetch", Fetch, [ErrorCode.NotLeaderForPartition, ErrorCode.UnknownTopicOrPart, ErrorCode.NotLeaderForPartition] },
        { "TxnOffsetCommit", TxnOffsetCommit, [ErrorCode.GroupLoadInProgress, ErrorCode.NotCoordinatorForGroup, ErrorCode.GroupCoordinatorNotAvailable] },
        { "EndTxn", EndTxn, [ErrorCode.ConcurrentTransactions, ErrorCode.GroupLoadInProgress, ErrorCode.NotCoordinatorForGroup] },
        { "AddPartitionsToTxn", AddPartitionsToTxn, [ErrorCode.ConcurrentTransactions, ErrorCode.GroupLoadInProgress, ErrorCode.GroupCoordinatorNotAvailable] },
    };

    /// <remarks>
    /// The errors are pushed before the host starts, after the input is written, so the host's own
    /// clients are the ones that meet them; the request count proves that each was answered.
    /// </remarks>
    [Theory]
    [MemberData(nameof(RetriableErrors))]
    public async Task Retriable_errors_on_a_request_kind_are_retried_by_the_client_and_processing_carries_on(string request, short apiKey, ErrorCode[] errors)
    {
        using var fixture = new MockClusterFixture();
        var cluster = fixture.Cluster;
        var topics = PipelineTopics.Create(fixture, inputPartitions: 3, dnPartitions: 3);
        var input = ProducedInput.Produce(cluster.BootstrapServers, topics.Input, ProducedInput.Simulate(seed: 110 + apiKey, Records));

        cluster.StartRequestTracking();
        cluster.PushRequestErrors(apiKey, errors);
        await using (var host = await ProcessorHost.StartAsync(topics.Settings(cluster.BootstrapServers, $"retriable-{request}"), SlowClusterTimeout))
        {
            await host.WaitUntilConsumedAsync(Records, timeout: SlowClusterTimeout);
            await host.StopAsync();
        }

        Assert.True(cluster.CountRequests(apiKey) > errors.Length,
            $"the host sent only {cluster.CountRequests(apiKey)} {request} requests: the {errors.Length} injected errors and a success need more");
        AssertSameAsReference(cluster.BootstrapServers, topics, input);
    }

    [Fact]
    public async Task Retriable_offset_commit_errors_under_at_least_once_are_retried_and_processing_carries_on()
    {
        using var fixture = new MockClusterFixture();
        var cluster = fixture.Cluster;
        var topics = PipelineTopics.Create(fixture, inputPartitions: 3, dnPartitions: 3);
        var input = ProducedInput.Produce(cluster.BootstrapServers, topics.Input, ProducedInput.Simulate(seed: 118, Records));
        ErrorCode[] errors = [ErrorCode.GroupLoadInProgress, ErrorCode.GroupCoordinatorNotAvailable, ErrorCode.NotCoordinatorForGroup];

        cluster.StartRequestTracking();
        cluster.PushRequestErrors(OffsetCommit, errors);
        await using (var host = await ProcessorHost.StartAsync(topics.Settings(cluster.BootstrapServers, "retriable-OffsetCommit", ProcessingGuarantee.AtLeastOnce), SlowClusterTimeout))
        {
            await host.WaitUntilConsumedAsync(Records, timeout: SlowClusterTimeout);
            await host.StopAsync();
        }

        Assert.True(cluster.CountRequests(OffsetCommit) > errors.Length, $"the host sent only {cluster.CountRequests(OffsetCommit)} OffsetCommit requests");
        AssertSameAsReference(cluster.BootstrapServers, topics, input);
    }

    /// <remarks>
    /// The slow period is bounded: the mock answers a fetch with one batch per partition, so at 500 ms
    /// a round trip it would take minutes to drain what a 5 ms linger cuts into small batches.
    /// </remarks>
    [Fact]
    public async Task Half_second_round_trips_on_every_broker_slow_processing_down_but_lose_and_double_nothing()
    {
        var metadataRoundTrip = TimeSpan.Zero;
        await RunAsync(seed: 103, "slow-brokers", duringProcessing: async (cluster, topics) =>
        {
            cluster.SetBrokerRoundTripTime(-1, TimeSpan.FromMilliseconds(500));
            var clock = Stopwatch.StartNew();
            KafkaTestClient.LeaderOf(cluster.BootstrapServers, topics.Input, 0);
            metadataRoundTrip = clock.Elapsed;
            await Task.Delay(TimeSpan.FromSeconds(6));
            cluster.SetBrokerRoundTripTime(-1, TimeSpan.Zero);
        });
        Assert.True(metadataRoundTrip >= TimeSpan.FromMilliseconds(500), $"a metadata request took {metadataRoundTrip}: the round-trip time was not applied");
    }

    /// <remarks>
    /// A fenced producer means another instance took over the transactional id: Kafka makes this
    /// fatal, and writing on would duplicate that instance's work. The host must stop, not retry.
    /// </remarks>
    [Fact]
    public async Task A_producer_fenced_on_commit_stops_the_host_with_a_failure_that_names_the_fencing()
    {
        using var fixture = new MockClusterFixture();
        var cluster = fixture.Cluster;
        var topics = PipelineTopics.Create(fixture, inputPartitions: 3, dnPartitions: 3);
        ProducedInput.Produce(cluster.BootstrapServers, topics.Input, ProducedInput.Simulate(seed: 104, Records));

        cluster.PushRequestErrors(EndTxn, ErrorCode.ProducerFenced);
        var (failure, logs) = await ProcessorHost.StartExpectingFailureWithLogsAsync(topics.Settings(cluster.BootstrapServers, "fenced"));

        Assert.Contains("fenced", failure.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(logs.Entries, entry => entry.Level == Microsoft.Extensions.Logging.LogLevel.Critical
            && entry.Message.Contains("fenced", StringComparison.OrdinalIgnoreCase));
    }

    /// <remarks>
    /// A produce request refused for good inside a transaction makes the transaction abortable, not
    /// fatal: Kafka's answer is to abort it and redo the work since the last commit, as Kafka Streams does.
    /// </remarks>
    [Fact]
    public async Task A_transaction_made_abortable_by_a_refused_produce_request_is_aborted_and_redone()
    {
        using var fixture = new MockClusterFixture();
        var cluster = fixture.Cluster;
        var topics = PipelineTopics.Create(fixture, inputPartitions: 3, dnPartitions: 3);
        var input = ProducedInput.Produce(cluster.BootstrapServers, topics.Input, ProducedInput.Simulate(seed: 105, Records));

        cluster.PushRequestErrors(Produce, ErrorCode.MsgSizeTooLarge);
        var reference = ReferenceRun.Of(input);
        await using (var host = await ProcessorHost.StartAsync(topics.Settings(cluster.BootstrapServers, "abortable"), SlowClusterTimeout))
        {
            await host.WaitUntilConsumedAsync(Records, timeout: SlowClusterTimeout);
            // The redo consumes input twice, which the consumed count cannot tell from repartition
            // records: wait until the committed DN snapshots are those of the local fold.
            await PipelineAssert.EventuallyAsync(() => PipelineAssert.SameDns(reference.Dns, SnapshotTopics.ReadDns(cluster.BootstrapServers, topics.DnSnapshots)), SlowClusterTimeout);
            await host.StopAsync();
            Assert.Contains(host.Logs.Entries, entry => entry.Message.Contains("redoing the work since the last commit", StringComparison.Ordinal));
        }

        PipelineAssert.SameAgents(reference.Agents, SnapshotTopics.ReadAgents(cluster.BootstrapServers, topics.AgentSnapshots));
        PipelineAssert.SameDns(reference.Dns, SnapshotTopics.ReadDns(cluster.BootstrapServers, topics.DnSnapshots));
        // The mock delivers an aborted transaction's records to read_committed readers, so the dead
        // letters of the aborted attempt show beside the redone ones: one per source position is
        // checked exactly here, and the real-broker suite checks that aborted copies stay invisible.
        PipelineAssert.ExactDeadLetters(reference.DeadLetters, PipelineAssert.LastCopyPerSource(SnapshotTopics.ReadAll(cluster.BootstrapServers, topics.DeadLetters)));
        PipelineAssert.ChangesMatch(reference.Changes, cluster.BootstrapServers, topics.AgentStateChanges, abortedCopiesVisible: true);
    }

    /// <remarks>
    /// The mock cluster shows an aborted transaction's records to read_committed readers, so the
    /// progress topic can hold progress from work that never committed: a transaction that failed
    /// after its progress records landed. A redo that trusted it would resume past records it never
    /// committed. Here that progress is written on purpose, ahead of the host's last commit into input
    /// it has not read yet, and the redo must still start from the last commit. (A real broker hides
    /// aborted records; the in-process position of the last commit is right for both.)
    /// </remarks>
    [Fact]
    public async Task A_redo_resumes_from_the_last_commit_even_where_the_progress_topic_shows_an_aborted_transactions_progress()
    {
        const int aheadOfCommit = 50;
        using var fixture = new MockClusterFixture();
        var cluster = fixture.Cluster;
        var topics = PipelineTopics.Create(fixture, inputPartitions: 3, dnPartitions: 3);
        var records = ProducedInput.Simulate(seed: 106, Records);
        var input = ProducedInput.Produce(cluster.BootstrapServers, topics.Input, records.Take(FirstHalf).ToList()).ToList();

        await using (var host = await ProcessorHost.StartAsync(topics.Settings(cluster.BootstrapServers, "redo-from-last-commit")))
        {
            var firstHalfEnds = KafkaTestClient.EndOffsets(cluster.BootstrapServers, topics.Input);
            await PipelineAssert.EventuallyAsync(() =>
            {
                var progress = SnapshotTopics.ReadProgress(cluster.BootstrapServers, topics.Progress);
                Assert.All(firstHalfEnds, end => Assert.Equal(end.Value, progress.GetValueOrDefault(StreamTask.ProgressKeyOf(end.Key), -1)));
            }, SlowClusterTimeout);

            WriteAbortedProgress(cluster.BootstrapServers, topics.Progress, firstHalfEnds.ToDictionary(end => end.Key, end => end.Value + aheadOfCommit));
            // Only a transactional producer adds partitions to a transaction: the host's next one fails, abortably.
            cluster.PushRequestErrors(AddPartitionsToTxn, ErrorCode.TopicAuthorizationFailed);
            input.AddRange(ProducedInput.Produce(cluster.BootstrapServers, topics.Input, records.Skip(FirstHalf).ToList()));
            var reference = ReferenceRun.Of(input);

            await PipelineAssert.EventuallyAsync(() =>
            {
                PipelineAssert.SameAgents(reference.Agents, SnapshotTopics.ReadAgents(cluster.BootstrapServers, topics.AgentSnapshots));
                PipelineAssert.SameDns(reference.Dns, SnapshotTopics.ReadDns(cluster.BootstrapServers, topics.DnSnapshots));
            }, SlowClusterTimeout);
            await host.StopAsync();
            Assert.Contains(host.Logs.Entries, entry => entry.Message.Contains("redoing the work since the last commit", StringComparison.Ordinal));
            PipelineAssert.ExactDeadLetters(reference.DeadLetters, PipelineAssert.LastCopyPerSource(SnapshotTopics.ReadAll(cluster.BootstrapServers, topics.DeadLetters)));
            PipelineAssert.ChangesMatch(reference.Changes, cluster.BootstrapServers, topics.AgentStateChanges, abortedCopiesVisible: true);
        }
    }

    /// <summary>Progress records of input partitions in a transaction that is then aborted.</summary>
    private static void WriteAbortedProgress(string bootstrapServers, string progressTopic, IReadOnlyDictionary<TopicPartition, long> positions)
    {
        using var producer = KafkaTestClient.CreateTransactionalProducer(bootstrapServers);
        producer.InitTransactions(KafkaTestClient.DefaultTimeout);
        producer.BeginTransaction();
        KafkaTestClient.ProduceAll(producer, progressTopic, positions.Select(position =>
            KafkaTestClient.Message(StreamTask.ProgressKeyOf(position.Key), position.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        producer.AbortTransaction(KafkaTestClient.DefaultTimeout);
    }

    /// <summary>
    /// Starts a host on the first half of the input, injects the fault while it runs, writes the
    /// second half, and checks the outcome against the local fold once the host consumed everything.
    /// </summary>
    private static async Task RunAsync(int seed, string group, Func<MockKafkaCluster, PipelineTopics, Task> duringProcessing, TimeSpan? timeout = null)
    {
        using var fixture = new MockClusterFixture();
        var cluster = fixture.Cluster;
        var topics = PipelineTopics.Create(fixture, inputPartitions: 3, dnPartitions: 3);
        var records = ProducedInput.Simulate(seed, Records);
        var input = ProducedInput.Produce(cluster.BootstrapServers, topics.Input, records.Take(FirstHalf).ToList()).ToList();

        await using (var host = await ProcessorHost.StartAsync(topics.Settings(cluster.BootstrapServers, group)))
        {
            await host.WaitUntilConsumedAsync(FirstHalf);
            var fault = duringProcessing(cluster, topics);
            // Written while the fault lasts: a producer waits for a downed leader as the host's clients do.
            var secondHalf = Task.Run(() => ProducedInput.Produce(cluster.BootstrapServers, topics.Input, records.Skip(FirstHalf).ToList()));
            await fault;
            input.AddRange(await secondHalf);
            await host.WaitUntilConsumedAsync(Records, timeout: timeout ?? SlowClusterTimeout);
            await host.StopAsync();
        }

        AssertSameAsReference(cluster.BootstrapServers, topics, input);
    }

    private static void AssertSameAsReference(string bootstrapServers, PipelineTopics topics, IReadOnlyList<ProducedRecord> input)
    {
        var reference = ReferenceRun.Of(input);
        PipelineAssert.SameAgents(reference.Agents, SnapshotTopics.ReadAgents(bootstrapServers, topics.AgentSnapshots));
        PipelineAssert.SameDns(reference.Dns, SnapshotTopics.ReadDns(bootstrapServers, topics.DnSnapshots));
        Assert.NotEmpty(reference.DeadLetters);
        PipelineAssert.ExactDeadLetters(reference.DeadLetters, SnapshotTopics.ReadAll(bootstrapServers, topics.DeadLetters));
        PipelineAssert.ChangesMatch(reference.Changes, bootstrapServers, topics.AgentStateChanges);
    }
}
