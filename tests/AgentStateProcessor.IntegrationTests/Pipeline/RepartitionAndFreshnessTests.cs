using System.Text;
using AgentStateProcessor.Configuration;
using AgentStateProcessor.IntegrationTests.Infrastructure;
using AgentStateProcessor.Kafka;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace AgentStateProcessor.IntegrationTests.Pipeline;

/// <summary>What the DN side does with records it cannot read, what the freshness figures measure, and skip-ahead made loud.</summary>
public sealed class RepartitionAndFreshnessTests(MockClusterFixture fixture) : IClassFixture<MockClusterFixture>
{
    [Fact]
    public async Task A_repartition_record_that_cannot_be_decoded_is_logged_and_counted_and_the_DN_side_goes_on()
    {
        var topics = PipelineTopics.Create(fixture, inputPartitions: 2, dnPartitions: 2);
        // A foreign record, and an input value as the old format carried it (raw JSON to validate again).
        var foreign = KafkaTestClient.ProduceAll(fixture.BootstrapServers, topics.DnRepartition,
        [
            KafkaTestClient.Message("t:5001", "not a repartition record"),
            KafkaTestClient.Message("t:5001", """{"id":"EventDNDOn","Server":"sip-1","ThisDN":"5001","time":1795770000}"""),
        ]);
        var input = ProducedInput.Produce(fixture.BootstrapServers, topics.Input, ProducedInput.Simulate(seed: 41, 400));

        await using var host = await ProcessorHost.StartAsync(topics.Settings(fixture.BootstrapServers, "undecodable-repartition"));
        await host.WaitUntilConsumedAsync(input.Count, earlierRepartitionRecords: foreign.Count);
        await host.StopAsync();

        Assert.Equal(2, host.Metrics.UndecodableRepartitionRecords);
        Assert.Equal(2, host.Logs.Entries.Count(e => e.Level == LogLevel.Warning && e.Message.Contains("cannot be decoded", StringComparison.Ordinal)));
        var reference = ReferenceRun.Of(input);
        PipelineAssert.SameAgents(reference.Agents, SnapshotTopics.ReadAgents(fixture.BootstrapServers, topics.AgentSnapshots));
        PipelineAssert.SameDns(reference.Dns, SnapshotTopics.ReadDns(fixture.BootstrapServers, topics.DnSnapshots));
    }

    [Fact]
    public async Task Freshness_counts_from_the_input_records_timestamp_so_input_that_waited_shows_at_least_that_wait()
    {
        var topics = PipelineTopics.Create(fixture, inputPartitions: 2, dnPartitions: 2);
        var appended = DateTimeOffset.UtcNow;
        var input = ProducedInput.Produce(fixture.BootstrapServers, topics.Input,
            ProducedInput.Simulate(seed: 42, 300).Select(r => r with { Timestamp = appended }).ToList());
        var waited = TimeSpan.FromSeconds(1.5);
        await Task.Delay(waited);

        await using var host = await ProcessorHost.StartAsync(topics.Settings(fixture.BootstrapServers, "freshness"));
        await host.WaitUntilConsumedAsync(input.Count);
        await host.WaitUntilAsync(m => m.ConsumerLag == 0 && m.DnFreshness.Summary().Samples > 0, "a commit after the last record");
        await host.StopAsync();

        var agents = host.Metrics.AgentFreshness.Summary();
        var dns = host.Metrics.DnFreshness.Summary();
        Assert.True(agents.Samples > 0 && dns.Samples > 0, $"agents {agents}, DNs {dns}");
        // Every sample includes the wait before the host started; nothing says how long the rest took.
        Assert.True(agents.P50Ms >= waited.TotalMilliseconds && dns.P50Ms >= waited.TotalMilliseconds, $"agents {agents}, DNs {dns}");
        Assert.True(host.Metrics.TasksByState.GetValueOrDefault(TaskState.Running) == 0, "all tasks closed after the stop");
    }

    [Fact]
    public async Task A_position_the_log_no_longer_holds_is_a_loud_skip_ahead_with_partition_offsets_and_count()
    {
        var topics = PipelineTopics.Create(fixture, inputPartitions: 1, dnPartitions: 1);
        // The mock keeps about 5 MB per partition and drops the oldest records beyond that.
        var big = new string('x', 100_000);
        long logStart = 0;
        for (var round = 0; round < 4 && logStart == 0; round++)
        {
            KafkaTestClient.ProduceAll(fixture.BootstrapServers, topics.Input,
                Enumerable.Range(0, 30).Select(i => KafkaTestClient.Message($"t:a{i}", big)).ToList());
            logStart = Watermarks(topics.Input).Low.Value;
        }
        Assert.True(logStart > 0, "the mock kept every record; nothing to skip");
        // Progress stored at offset 0, as a processor that stopped there would have left it.
        KafkaTestClient.ProduceAll(fixture.BootstrapServers, topics.Progress,
            [KafkaTestClient.Message(StreamTask.ProgressKeyOf(new TopicPartition(topics.Input, 0)), "0")]);
        var retained = Watermarks(topics.Input).High.Value - logStart;

        await using var host = await ProcessorHost.StartAsync(topics.Settings(fixture.BootstrapServers, "skip-ahead", ProcessingGuarantee.AtLeastOnce));
        await host.WaitUntilAsync(m => m.Consumed >= retained, $"{retained} retained records consumed");
        await host.StopAsync();

        Assert.Equal(logStart, host.Metrics.RecordsSkippedAhead);
        var warning = Assert.Single(host.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.StartsWith("Skipped ahead", StringComparison.Ordinal));
        Assert.Contains($"{topics.Input} [[0]]", warning.Message);
        Assert.Contains($"expected offset 0, got {logStart}; {logStart} records", warning.Message);
    }

    private WatermarkOffsets Watermarks(string topic)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = fixture.BootstrapServers,
            GroupId = $"test-watermarks-{Guid.NewGuid():N}",
        }).Build();
        return consumer.QueryWatermarkOffsets(new TopicPartition(topic, 0), KafkaTestClient.DefaultTimeout);
    }
}
