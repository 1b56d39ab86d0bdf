using AgentStateProcessor.IntegrationTests.Infrastructure;
using AgentStateProcessor.Simulation;

namespace AgentStateProcessor.IntegrationTests.Pipeline;

/// <summary>One host, exactly-once, over TCP to the mock cluster; checked against the local fold.</summary>
public sealed class EndToEndTests(MockClusterFixture fixture) : IClassFixture<MockClusterFixture>
{
    private const int RecordCount = 2_000;

    [Fact]
    public async Task Exactly_once_snapshots_equal_the_local_fold_land_on_the_input_partition_and_dead_letters_are_the_invalid_records()
    {
        var topics = PipelineTopics.Create(fixture.Cluster, inputPartitions: 3, dnPartitions: 3);
        var input = ProducedInput.Produce(fixture.BootstrapServers, topics.Input, ProducedInput.Simulate(seed: 11, RecordCount));
        var reference = ReferenceRun.Of(input);

        await using (var host = await ProcessorHost.StartAsync(topics.Settings(fixture.BootstrapServers, "e2e")))
        {
            await host.WaitUntilConsumedAsync(RecordCount);
            await host.StopAsync();
        }

        var agents = SnapshotTopics.ReadAgents(fixture.BootstrapServers, topics.AgentSnapshots);
        var dns = SnapshotTopics.ReadDns(fixture.BootstrapServers, topics.DnSnapshots);
        PipelineAssert.SameAgents(reference.Agents, agents);
        PipelineAssert.SameDns(reference.Dns, dns);

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
        PipelineAssert.ExactDeadLetters(reference.DeadLetters, SnapshotTopics.ReadAll(fixture.BootstrapServers, topics.DeadLetters));
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
}
