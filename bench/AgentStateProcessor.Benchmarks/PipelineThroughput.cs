using System.Diagnostics;
using System.Globalization;
using System.Text;
using AgentStateProcessor.Configuration;
using AgentStateProcessor.Hosting;
using AgentStateProcessor.Kafka;
using AgentStateProcessor.Simulation;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AgentStateProcessor.Benchmarks;

/// <summary>
/// End to end on librdkafka's mock cluster (3 brokers in this process): the simulated input is produced
/// first, then read by a bare consumer (the ceiling: no processing, no output), then processed by the real
/// host. Both rates run from the consumer group's first assignment to the last record, so the group join
/// (about 3 s on the mock) and the processor's start-up are left out of both.
/// </summary>
internal static class PipelineThroughput
{
    private const int Partitions = 6;
    private const double TargetRatio = 0.5;
    private static readonly TimeSpan WaitLimit = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);

    public static async Task<int> RunAsync(SubcommandOptions options)
    {
        var records = options.PositiveInt("--records", 200_000);
        var agents = options.PositiveInt("--agents", 1000);
        var guarantee = options.Enum("--guarantee", ProcessingGuarantee.ExactlyOnce);
        var topics = new TopicOptions();

        using var cluster = MockKafkaCluster.Start(brokerCount: 3);
        foreach (var topic in new[] { topics.Input, topics.AgentSnapshots, topics.DnSnapshots, topics.DnRepartition, topics.DeadLetters })
        {
            cluster.CreateTopic(topic, Partitions);
        }
        cluster.CreateTopic(topics.Progress, 1);

        var input = Produce(cluster.BootstrapServers, topics.Input, records, agents);
        Print($"pipeline: {records:N0} simulated records ({input.Invalid:N0} invalid, {input.Unknown:N0} unknown events) of {agents:N0} agents produced to {topics.Input} ({Partitions} partitions, 3 mock brokers) in {input.Elapsed.TotalSeconds:N2} s");

        var bare = MeasureBareConsumer(cluster.BootstrapServers, topics.Input, records);
        Print($"pipeline: bare consumer (group, read_committed, no processing): {records:N0} records in {bare.TotalSeconds:N2} s = {records / bare.TotalSeconds:N0} records/s");

        var processor = await MeasureProcessorAsync(cluster.BootstrapServers, topics, input, guarantee);
        var processedRate = records / processor.Processed.TotalSeconds;
        var committedRate = records / processor.Committed.TotalSeconds;
        var ratio = processedRate / (records / bare.TotalSeconds);
        Print($"pipeline: processor ({guarantee}, commit interval 1 s): {records:N0} input records processed in {processor.Processed.TotalSeconds:N2} s = {processedRate:N0} records/s");
        Print($"pipeline: processor ({guarantee}): progress of every input partition committed through its end after {processor.Committed.TotalSeconds:N2} s = {committedRate:N0} records/s");
        Print($"pipeline: processor counters: {processor.Counters}");
        Print($"pipeline: ratio processor / bare consumer = {ratio:N2} (target >= {TargetRatio:N1}: {(ratio >= TargetRatio ? "met" : "NOT met")})");

        var countsMatch = processor.DeadLettered == input.Invalid && processor.Skipped == input.Unknown;
        if (!countsMatch)
        {
            Print($"pipeline: MISMATCH: expected {input.Invalid} dead letters and {input.Unknown} skipped records");
        }
        return countsMatch ? 0 : 1;
    }

    private sealed record ProducedInput(long[] EndOffsets, int Invalid, int Unknown, TimeSpan Elapsed);

    private static ProducedInput Produce(string bootstrapServers, string topic, int records, int agents)
    {
        var config = KafkaClientConfigs.Simulator(new KafkaOptions { BootstrapServers = bootstrapServers });
        using var producer = new ProducerBuilder<byte[]?, byte[]>(config).Build();
        var simulator = new ContactCenterSimulator(SimulatedWorkload.Options(agents));
        int invalid = 0, unknown = 0;
        Error? failure = null;
        var clock = Stopwatch.StartNew();
        foreach (var record in simulator.Generate(records))
        {
            if (record.Kind == SimulatedRecordKind.Invalid) invalid++;
            if (record.Kind == SimulatedRecordKind.Unknown) unknown++;
            var message = new Message<byte[]?, byte[]>
            {
                Key = record.Key is null ? null : Encoding.UTF8.GetBytes(record.Key),
                Value = record.Value,
                Timestamp = new Timestamp(record.Timestamp),
            };
            while (true)
            {
                try
                {
                    producer.Produce(topic, message, report => failure ??= report.Error.IsError ? report.Error : null);
                    break;
                }
                catch (ProduceException<byte[]?, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(50));
                }
            }
        }
        if (producer.Flush(TimeSpan.FromMinutes(1)) > 0) throw new TimeoutException("the input was not delivered within a minute");
        if (failure is not null) throw new KafkaException(failure);
        clock.Stop();

        using var reader = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = "benchmark-watermarks" }).Build();
        var ends = Enumerable.Range(0, Partitions)
            .Select(p => reader.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value)
            .ToArray();
        if (ends.Sum() != records) throw new InvalidOperationException($"the input topic holds {ends.Sum()} records, not {records}");
        return new ProducedInput(ends, invalid, unknown, clock.Elapsed);
    }

    /// <summary>A group member that only counts: the rate the client and the mock cluster allow.</summary>
    private static TimeSpan MeasureBareConsumer(string bootstrapServers, string topic, int records)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "benchmark-bare-consumer",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            IsolationLevel = IsolationLevel.ReadCommitted,
        };
        long assignedAt = 0;
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config)
            .SetPartitionsAssignedHandler((_, _) => assignedAt = Stopwatch.GetTimestamp())
            .Build();
        consumer.Subscribe(topic);
        var deadline = Stopwatch.StartNew();
        var consumed = 0;
        while (consumed < records)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false }) consumed++;
            if (deadline.Elapsed > WaitLimit) throw new TimeoutException($"the bare consumer read {consumed} of {records} records in {WaitLimit}");
        }
        var elapsed = Stopwatch.GetElapsedTime(assignedAt);
        consumer.Close();
        return elapsed;
    }

    private sealed record ProcessorRun(TimeSpan Processed, TimeSpan Committed, long DeadLettered, long Skipped, string Counters);

    /// <summary>
    /// Runs the host as production does, against the mock cluster. Two end points, both timed from the
    /// moment its partitions are assigned and restored (PipelineMetrics.Ready):
    /// <list type="bullet">
    /// <item>processed: every input record and every repartitioned DN event consumed and folded. The metrics
    /// count both topics in Consumed; reading Consumed and then Repartitioned, Consumed &gt;= records + Repartitioned
    /// can only hold once no input record is left and every repartition record written so far was folded
    /// (under exactly-once those become readable only when their transaction commits, so this end point
    /// includes the last commit that carries DN events).</item>
    /// <item>committed: the progress topic (read_committed) holds, for every input partition, the partition's
    /// end offset: the offsets and snapshots of all input are durable. It trails "processed" by up to one
    /// commit interval.</item>
    /// </list>
    /// </summary>
    private static async Task<ProcessorRun> MeasureProcessorAsync(string bootstrapServers, TopicOptions topics, ProducedInput input, ProcessingGuarantee guarantee)
    {
        var records = input.EndOffsets.Sum();
        using var progress = new ProgressWatcher(bootstrapServers, topics.Progress, topics.Input, input.EndOffsets);

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{KafkaOptions.SectionName}:BootstrapServers"] = bootstrapServers,
            [$"{KafkaOptions.SectionName}:GroupId"] = "benchmark-processor",
            [$"{ProcessingOptions.SectionName}:Guarantee"] = guarantee.ToString(),
            [$"{ProcessingOptions.SectionName}:CommitInterval"] = "00:00:01",
            ["Logging:LogLevel:Default"] = "Warning",
            // The mock cluster answers DescribeConfigs with a timeout; the provisioner's warning about it is expected here.
            [$"Logging:LogLevel:{typeof(TopicProvisioner).FullName}"] = "Error",
        });
        builder.AddAgentStateProcessor();
        using var host = builder.Build();
        var metrics = host.Services.GetRequiredService<PipelineMetrics>();

        await host.StartAsync();
        var limit = Stopwatch.StartNew();
        await WaitUntilAsync(() => metrics.Ready, limit, "the processor was not assigned its partitions");
        var assignedAt = Stopwatch.GetTimestamp();
        await WaitUntilAsync(() =>
        {
            var consumed = metrics.Consumed;
            return consumed >= records + metrics.Repartitioned;
        }, limit, "the processor did not consume its input");
        var processed = Stopwatch.GetElapsedTime(assignedAt);
        await WaitUntilAsync(() => progress.ReachedEndAt is not null, limit, "the processor's progress did not reach the end of the input");
        var committed = Stopwatch.GetElapsedTime(assignedAt, progress.ReachedEndAt!.Value);

        await host.StopAsync();
        var counters = string.Create(CultureInfo.InvariantCulture,
            $"consumed {metrics.Consumed:N0} (input + repartition), agent applied {metrics.AgentApplied:N0}, DN applied {metrics.DnApplied:N0}, repartitioned {metrics.Repartitioned:N0}, duplicates {metrics.Duplicates:N0}, no state rule {metrics.NoStateRule:N0}, skipped {metrics.Skipped:N0}, dead-lettered {metrics.DeadLettered:N0}, commits {metrics.Commits:N0}, snapshots written {metrics.SnapshotsWritten:N0}");
        return new ProcessorRun(processed, committed, metrics.DeadLettered, metrics.Skipped, counters);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, Stopwatch limit, string failure)
    {
        while (!condition())
        {
            if (limit.Elapsed > WaitLimit) throw new TimeoutException($"{failure} within {WaitLimit}");
            await Task.Delay(PollInterval);
        }
    }

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
}
