using System.Text;
using AgentStateProcessor.Configuration;
using AgentStateProcessor.Domain;
using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.IntegrationTests.Infrastructure;
using AgentStateProcessor.Processing.Intake;
using AgentStateProcessor.Schemas;
using AgentStateProcessor.Simulation;
using Confluent.Kafka;

namespace AgentStateProcessor.IntegrationTests.Pipeline;

/// <summary>
/// The pipeline's main scenarios, written once: the real host, exactly-once unless a test says
/// otherwise, checked against the local fold. <see cref="MockClusterPipelineTests"/> runs them on
/// the librdkafka mock cluster, <see cref="RealBrokerPipelineTests"/> on Apache Kafka in Docker;
/// only the cluster differs.
/// </summary>
public abstract class PipelineScenarios<TCluster>(TCluster cluster) where TCluster : IPipelineCluster
{
    private const int EndToEndRecords = 2_000;
    private const int FirstHalf = 1_000;
    private const int SecondHalf = 1_000;
    private const int SmallMessageLimit = 2_000;

    /// <summary>
    /// A member joining a group that lost its last member waits on the mock cluster: the
    /// group stays in a rebalance for the session timeout less one second (the tests set
    /// Kafka:SessionTimeout to 6 s). On a real broker it waits for a crashed member's session to expire.
    /// </summary>
    protected static readonly TimeSpan RejoinTimeout = TimeSpan.FromSeconds(90);

    protected TCluster Cluster => cluster;

    protected string BootstrapServers => cluster.BootstrapServers;

    /// <summary>Reports the calling test skipped, with the reason, where the cluster cannot run.</summary>
    protected void SkipUnlessAvailable() => Skip.If(cluster.UnavailableReason is not null, cluster.UnavailableReason);

    [SkippableFact]
    public async Task Exactly_once_snapshots_equal_the_local_fold_land_on_the_input_partition_and_dead_letters_are_the_invalid_records()
    {
        SkipUnlessAvailable();
        var topics = PipelineTopics.Create(cluster, inputPartitions: 3, dnPartitions: 3);
        var input = ProducedInput.Produce(BootstrapServers, topics.Input, ProducedInput.Simulate(seed: 11, EndToEndRecords));
        var reference = ReferenceRun.Of(input);

        await using (var host = await ProcessorHost.StartAsync(topics.Settings(BootstrapServers, "e2e")))
        {
            await host.WaitUntilConsumedAsync(EndToEndRecords);
            await host.StopAsync();
        }

        var agents = SnapshotTopics.ReadAgents(BootstrapServers, topics.AgentSnapshots);
        var dns = SnapshotTopics.ReadDns(BootstrapServers, topics.DnSnapshots);
        PipelineAssert.SameAgents(reference.Agents, agents);
        PipelineAssert.SameDns(reference.Dns, dns);
        Assert.NotEmpty(reference.Changes);
        // The simulation leaves single queues and last queues, and lights message-waiting lamps: the extension rules are in this run.
        Assert.Contains(reference.Changes, c => c is { EventName: "EventQueueLogout", State: AgentStatus.LoggedOut });
        Assert.Contains(reference.Agents.Values, a => a.LastEvent == "EventQueueLogout" && a.State != AgentStatus.LoggedOut);
        Assert.Contains(reference.Dns.Values, d => d.MessageWaiting);
        PipelineAssert.ChangesMatch(reference.Changes, BootstrapServers, topics.AgentStateChanges);

        var inputPartitionOfKey = input.Where(r => r.Key is not null).ToLookup(r => r.Key!, r => r.Position.Partition.Value);
        Assert.All(agents.Values, snapshot => Assert.Equal([snapshot.Partition], inputPartitionOfKey[snapshot.Key].Distinct()));
        Assert.Equal(3, agents.Values.Select(s => s.Partition).Distinct().Count());
        // DN state lives where Kafka's default partitioner puts its key, as the Java client and
        // kafka-python compute it, so the placement holds across instances and client libraries.
        var dnPartitionOfKey = KafkaPythonPartitions(dns.Keys, partitionCount: 3);
        Assert.All(dns.Values, snapshot => Assert.Equal((snapshot.Key, dnPartitionOfKey[snapshot.Key]), (snapshot.Key, snapshot.Partition)));

        var invalid = input.Where(r => r.Kind == SimulatedRecordKind.Invalid).Select(r => r.Position).ToList();
        Assert.NotEmpty(invalid);
        Assert.Equal(invalid, reference.DeadLetters.Select(d => d.Record.Position));
        PipelineAssert.ExactDeadLetters(reference.DeadLetters, SnapshotTopics.ReadAll(BootstrapServers, topics.DeadLetters));
    }

    /// <remarks>
    /// Both guarantees run at once in one test rather than as two theory cases, because each case
    /// spends most of its time waiting for the group to take the new host (see <see cref="RejoinTimeout"/>),
    /// and xUnit starts only as many tests at once as there are cores.
    /// </remarks>
    [SkippableFact]
    public async Task Under_either_guarantee_a_new_host_in_the_group_resumes_where_the_stopped_one_left_off_applying_and_dead_lettering_each_record_once()
    {
        SkipUnlessAvailable();
        ProcessingGuarantee[] guarantees = [ProcessingGuarantee.ExactlyOnce, ProcessingGuarantee.AtLeastOnce];
        var runs = guarantees.Select(RestartAsync).ToList();
        var failures = new List<string>();
        foreach (var (guarantee, run) in guarantees.Zip(runs))
        {
            try
            {
                await run;
            }
            catch (Exception e)
            {
                failures.Add($"{guarantee}: {e.Message}");
            }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine + Environment.NewLine, failures));
    }

    [SkippableFact]
    public async Task Each_kind_of_bad_record_is_a_dead_letter_with_its_code_and_the_host_goes_on_to_apply_the_next_event()
    {
        SkipUnlessAvailable();
        var topics = PipelineTopics.Create(cluster, inputPartitions: 1, dnPartitions: 1);
        await using var host = await ProcessorHost.StartAsync(topics.Settings(BootstrapServers, "bad-input",
            extra: ("Processing:MaxMessageBytes", SmallMessageLimit.ToString())));

        const string key = "acme:agent-1";
        var padding = new string('x', SmallMessageLimit);
        (string? Key, byte[]? Value)[] records =
        [
            (key, Json($$$"""{"id":"EventAgentLogin","Server":"sip-1","ThisDN":"1001","time":1767610000,"Extensions":{"pad":"{{{padding}}}"}}""")),
            (key, null),
            (null, Json("""{"id":"EventAgentLogin","Server":"sip-1","ThisDN":"1001","time":1767610000,"AgentID":"agent-1"}""")),
            (key, [0, 0, 0, 0, 7, 2, 0x41]),
            (key, Json("""{"id":"EventAgentLogin","ThisDN":""")),
            (key, Json("""{"id":"EventAgentLogin","Server":"sip-1","ThisDN":"1001","ThisQueue":"7001","time":1767610005}""")),
        ];
        var input = ProducedInput.ProduceInOrder(BootstrapServers, new TopicPartition(topics.Input, 0),
            records.Select(r => new Message<byte[]?, byte[]?> { Key = r.Key is null ? null : Encoding.UTF8.GetBytes(r.Key), Value = r.Value }));
        await host.WaitUntilConsumedAsync(records.Length);

        Assert.False(host.ServiceTask!.IsCompleted || host.IsStopping, $"bad input stopped the host. {host.Describe()}");
        Assert.Equal(5, host.Metrics.DeadLettered);
        await host.StopAsync();

        var deadLetters = SnapshotTopics.ReadAll(BootstrapServers, topics.DeadLetters);
        Assert.Equal(
            [IntakeCodes.TooLarge, IntakeCodes.EmptyValue, IntakeCodes.NoTenant, IntakeCodes.UnknownSchemaId, ValidationErrorCodes.MalformedJson],
            deadLetters.OrderBy(d => d.Offset.Value).Select(PipelineAssert.DeadLetterCode));
        PipelineAssert.ExactDeadLetters(ReferenceRun.Of(input, SmallMessageLimit).DeadLetters, deadLetters);
        var agent = SnapshotTopics.ReadAgents(BootstrapServers, topics.AgentSnapshots)[key];
        Assert.Equal((AgentStatus.LoggedIn, "1001", 1L, input[^1].Position.Offset.Value), (agent.State.State, agent.State.Dn, agent.State.EventCount, agent.State.Source.Offset));
    }

    /// <summary>
    /// The extension events with a fold rule (docs/fold-rules.md) through the pipeline: leaving one of two queues
    /// shortens the queues and is no state change, leaving the last queue is the logout and its change, message
    /// waiting reaches the DN snapshot; the monitoring event is skipped under its own name.
    /// </summary>
    [SkippableFact]
    public async Task An_agent_in_two_queues_who_leaves_one_is_listed_in_one_and_leaving_the_last_is_a_logout_on_the_change_topic()
    {
        SkipUnlessAvailable();
        var topics = PipelineTopics.Create(cluster, inputPartitions: 1, dnPartitions: 1);
        (string Key, string Value)[] records =
        [
            ("t1:a1", """{"id":"EventAgentLogin","Server":"sip-1","ThisDN":"5001","ThisQueue":"8001","AgentID":"a1","time":1767610000}"""),
            ("t1:a2", """{"id":"EventAgentLogin","Server":"sip-1","ThisDN":"5002","ThisQueue":"8003","AgentID":"a2","time":1767610001}"""),
            ("t1:a1", """{"id":"EventAgentLogin","Server":"sip-1","ThisDN":"5001","ThisQueue":"8002","AgentID":"a1","time":1767610002}"""),
            ("t1:a1", """{"id":"EventAgentReady","Server":"sip-1","ThisDN":"5001","AgentWorkMode":"AgentManualIn","AgentID":"a1","time":1767610010}"""),
            ("t1:a2", """{"id":"EventAgentNotReady","Server":"sip-1","ThisDN":"5002","Reasons":{"ReasonCode":"Lunch"},"AgentID":"a2","time":1767610020}"""),
            ("t1:a1", """{"id":"EventQueueLogout","Server":"sip-1","ThisDN":"5001","ThisQueue":"8002","AgentID":"a1","time":1767610030}"""),
            ("t1:a1", """{"id":"EventMessageWaitingOn","Server":"sip-1","ThisDN":"5001","time":1767610031}"""),
            ("t1:a2", """{"id":"EventMessageWaitingOn","Server":"sip-1","ThisDN":"5002","time":1767610032}"""),
            ("t1:a2", """{"id":"EventMonitoringNextCall","ThisDN":"5002","time":1767610033}"""),
            ("t1:a2", """{"id":"EventMessageWaitingOff","Server":"sip-1","ThisDN":"5002","time":1767610034}"""),
            ("t1:a2", """{"id":"EventQueueLogout","Server":"sip-1","ThisDN":"5002","ThisQueue":"8003","AgentID":"a2","time":1767610040}"""),
        ];
        var input = ProducedInput.ProduceInOrder(BootstrapServers, new TopicPartition(topics.Input, 0), records.Select(r => KafkaTestClient.Message(r.Key, r.Value)));
        var reference = ReferenceRun.Of(input);

        await using (var host = await ProcessorHost.StartAsync(topics.Settings(BootstrapServers, "queue-logout")))
        {
            await host.WaitUntilConsumedAsync(records.Length);
            await host.StopAsync();
            Assert.Equal(1, host.Metrics.InputSteps.SkippedByCode.GetValueOrDefault("EventMonitoringNextCall"));
        }

        var agents = SnapshotTopics.ReadAgents(BootstrapServers, topics.AgentSnapshots);
        var dns = SnapshotTopics.ReadDns(BootstrapServers, topics.DnSnapshots);
        PipelineAssert.SameAgents(reference.Agents, agents);
        PipelineAssert.SameDns(reference.Dns, dns);
        Assert.Equal((AgentStatus.Ready, "EventQueueLogout"), (agents["t1:a1"].State.State, agents["t1:a1"].State.LastEvent));
        Assert.Equal<string>(["8001"], agents["t1:a1"].State.Queues);
        Assert.Equal((AgentStatus.LoggedOut, 0), (agents["t1:a2"].State.State, agents["t1:a2"].State.Queues.Length));
        Assert.Equal<string>(["8001"], dns["t1:5001"].State.Queues);
        Assert.Equal((true, "a1"), (dns["t1:5001"].State.MessageWaiting, dns["t1:5001"].State.AgentId));
        Assert.Equal((false, (string?)null), (dns["t1:5002"].State.MessageWaiting, dns["t1:5002"].State.AgentId));

        Assert.Equal(
            [
                ("t1:a1", AgentStatus.LoggedIn, "EventAgentLogin"),
                ("t1:a2", AgentStatus.LoggedIn, "EventAgentLogin"),
                ("t1:a1", AgentStatus.Ready, "EventAgentReady"),
                ("t1:a2", AgentStatus.NotReady, "EventAgentNotReady"),
                ("t1:a2", AgentStatus.LoggedOut, "EventQueueLogout"),
            ],
            reference.Changes.Select(c => (c.Key, c.State, c.EventName)));
        PipelineAssert.ChangesMatch(reference.Changes, BootstrapServers, topics.AgentStateChanges);
    }

    private async Task RestartAsync(ProcessingGuarantee guarantee)
    {
        var topics = PipelineTopics.Create(cluster, inputPartitions: 3, dnPartitions: 2);
        var settings = topics.Settings(BootstrapServers, $"restart-{guarantee}", guarantee);
        var records = ProducedInput.Simulate(seed: 21, FirstHalf + SecondHalf);

        var input = ProducedInput.Produce(BootstrapServers, topics.Input, records.Take(FirstHalf).ToList()).ToList();
        await using (var hostA = await ProcessorHost.StartAsync(settings))
        {
            await hostA.WaitUntilConsumedAsync(FirstHalf);
            await hostA.StopAsync();
        }

        input.AddRange(ProducedInput.Produce(BootstrapServers, topics.Input, records.Skip(FirstHalf).ToList()));
        await using (var hostB = await ProcessorHost.StartAsync(settings, RejoinTimeout))
        {
            await hostB.WaitUntilConsumedAsync(SecondHalf);
            await hostB.StopAsync();
            Assert.True(hostB.Metrics.Duplicates == 0, $"host B re-read input host A had processed: {hostB.Describe()}");
        }

        var reference = ReferenceRun.Of(input);
        PipelineAssert.SameAgents(reference.Agents, SnapshotTopics.ReadAgents(BootstrapServers, topics.AgentSnapshots));
        PipelineAssert.SameDns(reference.Dns, SnapshotTopics.ReadDns(BootstrapServers, topics.DnSnapshots));
        PipelineAssert.ExactDeadLetters(reference.DeadLetters, SnapshotTopics.ReadAll(BootstrapServers, topics.DeadLetters));
        PipelineAssert.ChangesMatch(reference.Changes, BootstrapServers, topics.AgentStateChanges);
    }

    private static Dictionary<string, int> KafkaPythonPartitions(IEnumerable<string> keys, int partitionCount)
    {
        const string script = """
            import sys
            from kafka.partitioner.default import DefaultPartitioner
            partitions = list(range(int(sys.argv[1])))
            for key in sys.argv[2:]:
                print(key, DefaultPartitioner()(key.encode("utf-8"), partitions, partitions))
            """;
        var output = ExternalKafkaClients.RunKafkaPython(script, [partitionCount.ToString(), .. keys]);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .ToDictionary(parts => parts[0], parts => int.Parse(parts[1]), StringComparer.Ordinal);
    }

    private static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);
}
