using AgentStateProcessor.Configuration;
using AgentStateProcessor.IntegrationTests.Infrastructure;

namespace AgentStateProcessor.IntegrationTests.Pipeline;

/// <summary>
/// A stopped host and a new one in the same group on the same topics: together exactly one pass over
/// the input, under either guarantee.
/// </summary>
/// <remarks>
/// Both guarantees run at once in one test rather than as two theory cases, because each case
/// spends most of its time waiting: on the mock cluster (librdkafka 2.0.2) a group whose last
/// member left stays in a rebalance for the session timeout less one second (44 s with the
/// client's default; the pipeline tests set Kafka:SessionTimeout to 6 s), and a member joining
/// meanwhile waits for it. xUnit starts only as many tests at once as there are cores.
/// </remarks>
public sealed class RestartTests(MockClusterFixture fixture) : IClassFixture<MockClusterFixture>
{
    private const int FirstHalf = 1_000;
    private const int SecondHalf = 1_000;
    private static readonly TimeSpan RejoinTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Under_either_guarantee_a_new_host_in_the_group_resumes_where_the_stopped_one_left_off_applying_and_dead_lettering_each_record_once()
    {
        ProcessingGuarantee[] guarantees = [ProcessingGuarantee.ExactlyOnce, ProcessingGuarantee.AtLeastOnce];
        var runs = guarantees.Select(RunAsync).ToList();
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

    private async Task RunAsync(ProcessingGuarantee guarantee)
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
