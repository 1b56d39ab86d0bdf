using System.Collections.Concurrent;
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
using static AgentStateProcessor.Benchmarks.BenchmarkSupport;

namespace AgentStateProcessor.Benchmarks;

/// <summary>
/// End to end on librdkafka's mock cluster (3 brokers in this process): the simulated input is produced
/// first, then read by a bare consumer (the ceiling: no processing, no output), then processed by the real
/// host. Both rates run from the consumer group's first assignment to the last record, so the group join
/// (about 3 s on the mock) and the processor's start-up are left out of both.
/// </summary>
internal static class PipelineThroughput
{
    /// <summary>
    /// The mock brokers keep about 5 MB per partition: with 6 partitions, about 150,000 of these input records,
    /// and fewer repartition records (they carry the input position in headers). This default stays below both.
    /// </summary>
    private const int DefaultRecords = 80_000;
    private const int DefaultWarmupRecords = 40_000;
    private const double TargetRatio = 0.5;
    private const string ForwardTopic = "benchmark-forwarded";
    private static readonly TimeSpan WaitLimit = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);

    public static async Task<int> RunAsync(SubcommandOptions options)
    {
        var produced = options.PositiveInt("--records", DefaultRecords);
        var agents = options.PositiveInt("--agents", 1000);
        var guarantee = options.Enum("--guarantee", ProcessingGuarantee.ExactlyOnce);
        var topics = new TopicOptions();

        using var cluster = MockKafkaCluster.Start(brokerCount: 3);
        HostingExtensions.CreateProcessorTopics(cluster, topics, Partitions);
        cluster.CreateTopic(ForwardTopic, Partitions);

        // A warm-up pass over topics of their own, so that the measured pass sees JIT-compiled (tier 1) code
        // in both consumers and the processor, as a long-running service does, rather than the compiler at work.
        var warmupRecords = options.PositiveInt("--warmup", DefaultWarmupRecords);
        var warmupTopics = PrefixedTopics("warmup-");
        HostingExtensions.CreateProcessorTopics(cluster, warmupTopics, Partitions);
        var warmupInput = Produce(cluster.BootstrapServers, warmupTopics.Input, warmupRecords, agents);
        MeasureBareConsumer(cluster.BootstrapServers, warmupTopics.Input, warmupInput.Retained);
        await MeasureProcessorAsync(cluster.BootstrapServers, warmupTopics, warmupInput, guarantee, "benchmark-warmup");
        Print($"pipeline: warm-up pass over {warmupInput.Retained:N0} records on separate topics done");

        var input = Produce(cluster.BootstrapServers, topics.Input, produced, agents);
        Print($"pipeline: {produced:N0} simulated records of {agents:N0} agents produced to {topics.Input} ({Partitions} partitions, 3 mock brokers) in {input.Elapsed.TotalSeconds:N2} s");
        if (input.Retained < produced)
        {
            // A Kafka cluster keeps what retention allows; the mock keeps about 5 MB per partition. Measuring a
            // processor whose input and repartition records vanish under it would measure nothing sound.
            Print($"pipeline: INVALID RUN: the mock brokers kept only the last {input.Retained:N0} records (they keep about 5 MB per partition and drop the oldest); use fewer --records");
            return 1;
        }
        Print($"pipeline: input: {input.Invalid:N0} invalid records, {input.Skipped:N0} records to skip, the rest valid");
        var records = input.Retained;

        var bare = MeasureBareConsumer(cluster.BootstrapServers, topics.Input, records);
        Print($"pipeline: bare consumer (group, read_committed, no processing): {records:N0} records in {bare.Elapsed.TotalSeconds:N2} s = {records / bare.Elapsed.TotalSeconds:N0} records/s (process CPU {bare.Cpu.TotalSeconds:N2} s)");

        var forwarding = MeasureBareConsumer(cluster.BootstrapServers, topics.Input, records, forwardTo: ForwardTopic);
        Print($"pipeline: forwarding consumer (the same, producing every record to another topic, idempotent): {records:N0} records in {forwarding.Elapsed.TotalSeconds:N2} s = {records / forwarding.Elapsed.TotalSeconds:N0} records/s (process CPU {forwarding.Cpu.TotalSeconds:N2} s)");

        var processor = await MeasureProcessorAsync(cluster.BootstrapServers, topics, input, guarantee, "benchmark-processor");
        var processedRate = records / processor.Processed.TotalSeconds;
        var committedRate = records / processor.Committed.TotalSeconds;
        var ratio = processedRate / (records / bare.Elapsed.TotalSeconds);
        Print($"pipeline: processor ({guarantee}, commit interval 1 s): {records:N0} input records processed (agent and DN state) in {processor.Processed.TotalSeconds:N2} s = {processedRate:N0} records/s (process CPU {processor.ProcessedCpu.TotalSeconds:N2} s)");
        Print($"pipeline: processor ({guarantee}): input consumed after {processor.InputConsumed.TotalSeconds:N2} s, input offsets and agent snapshots committed through the end after {processor.Committed.TotalSeconds:N2} s = {committedRate:N0} records/s");
        Print($"pipeline: processor counters: {processor.Counters}");
        Print($"pipeline: ratio processor / bare consumer = {ratio:N2} (target >= {TargetRatio:N1}: {(ratio >= TargetRatio ? "met" : "NOT met")})");

        var countsMatch = processor.DeadLettered == input.Invalid && processor.Skipped == input.Skipped;
        if (!countsMatch)
        {
            Print($"pipeline: MISMATCH: expected {input.Invalid} dead letters and {input.Skipped} skipped records");
        }
        return countsMatch ? 0 : 1;
    }

    /// <summary>
    /// What the input topic holds once produced. The mock brokers keep a bounded log per partition and drop
    /// its oldest records beyond that, so the retained range [start, end) can be shorter than what was produced;
    /// both consumers are measured over exactly the retained records.
    /// </summary>
    private sealed record ProducedInput(long[] StartOffsets, long[] EndOffsets, int Invalid, int Skipped, TimeSpan Elapsed)
    {
        public long Retained => EndOffsets.Sum() - StartOffsets.Sum();
    }

    private static ProducedInput Produce(string bootstrapServers, string topic, int records, int agents)
    {
        var config = KafkaClientConfigs.Simulator(new KafkaOptions { BootstrapServers = bootstrapServers });
        using var producer = new ProducerBuilder<byte[]?, byte[]>(config).Build();
        var simulator = new ContactCenterSimulator(SimulatedWorkload.Options(agents));
        var delivered = new ConcurrentQueue<(int Partition, long Offset, SimulatedRecordKind Kind)>();
        Error? failure = null;
        var clock = Stopwatch.StartNew();
        foreach (var record in simulator.Generate(records))
        {
            var message = new Message<byte[]?, byte[]>
            {
                Key = record.Key is null ? null : Encoding.UTF8.GetBytes(record.Key),
                Value = record.Value,
                Timestamp = new Timestamp(record.Timestamp),
            };
            var kind = record.Kind;
            void OnDelivery(DeliveryReport<byte[]?, byte[]> report)
            {
                if (report.Error.IsError) failure ??= report.Error;
                else delivered.Enqueue((report.Partition.Value, report.Offset.Value, kind));
            }
            producer.ProduceWhenRoom(topic, message, OnDelivery);
        }
        if (producer.Flush(TimeSpan.FromMinutes(1)) > 0) throw new TimeoutException("the input was not delivered within a minute");
        if (failure is not null) throw new KafkaException(failure);
        clock.Stop();

        using var reader = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = "benchmark-watermarks" }).Build();
        var watermarks = Enumerable.Range(0, Partitions)
            .Select(p => reader.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)))
            .ToArray();
        var starts = watermarks.Select(w => w.Low.Value).ToArray();
        var ends = watermarks.Select(w => w.High.Value).ToArray();
        if (ends.Sum() != records) throw new InvalidOperationException($"the input topic's end offsets add up to {ends.Sum()}, not {records}");
        var retained = delivered.Where(d => d.Offset >= starts[d.Partition]).ToList();
        return new ProducedInput(starts, ends,
            Invalid: retained.Count(d => d.Kind == SimulatedRecordKind.Invalid),
            Skipped: retained.Count(d => d.Kind == SimulatedRecordKind.Skipped),
            clock.Elapsed);
    }

    /// <summary>
    /// A group member that only counts (the rate the client and the mock cluster allow), or, with
    /// <paramref name="forwardTo"/>, also produces every record there, as the processor forwards DN events
    /// to the repartition topic (idempotent, acks=all, linger 5 ms like the processor's producer; finished
    /// when the last record is acknowledged).
    /// </summary>
    private static (TimeSpan Elapsed, TimeSpan Cpu) MeasureBareConsumer(string bootstrapServers, string topic, long records, string? forwardTo = null)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = forwardTo is null ? "benchmark-bare-consumer" : "benchmark-forwarding-consumer",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            IsolationLevel = IsolationLevel.ReadCommitted,
        };
        long assignedAt = 0;
        var cpuAtAssignment = TimeSpan.Zero;
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config)
            .SetPartitionsAssignedHandler((_, _) =>
            {
                assignedAt = Stopwatch.GetTimestamp();
                cpuAtAssignment = ProcessCpu();
            })
            .Build();
        using var producer = forwardTo is null
            ? null
            : new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = bootstrapServers, EnableIdempotence = true, Acks = Acks.All, LingerMs = 5 }).Build();
        if (producer is not null)
        {
            // The idempotent producer's start (metadata, producer id) is not part of the rate, as for the processor.
            producer.Produce(forwardTo!, new Message<byte[]?, byte[]?> { Value = "warm-up"u8.ToArray() });
            producer.Flush(TimeSpan.FromSeconds(30));
        }
        consumer.Subscribe(topic);
        var deadline = Stopwatch.StartNew();
        long consumed = 0;
        while (consumed < records)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false } result)
            {
                consumed++;
                producer?.ProduceWhenRoom(forwardTo!, result.Message);
            }
            if (deadline.Elapsed > WaitLimit) throw new TimeoutException($"the bare consumer read {consumed} of {records} records in {WaitLimit}");
        }
        if (producer is not null && producer.Flush(WaitLimit) > 0) throw new TimeoutException($"forwarded records were not acknowledged within {WaitLimit}");
        var elapsed = Stopwatch.GetElapsedTime(assignedAt);
        var cpu = ProcessCpu() - cpuAtAssignment;
        consumer.Close();
        return (elapsed, cpu);
    }

    private sealed record ProcessorRun(TimeSpan InputConsumed, TimeSpan Processed, TimeSpan ProcessedCpu, TimeSpan Committed, long DeadLettered, long Skipped, string Counters);

    /// <summary>
    /// Runs the host as production does, against the mock cluster. All end points are timed from the moment
    /// its partitions are assigned and restored (PipelineMetrics.Ready):
    /// <list type="bullet">
    /// <item>input consumed: Consumed minus the repartition records folded (DN applied + duplicates, none in a
    /// fresh run) reaches the input's record count.</item>
    /// <item>processed (the headline): every input record and every repartitioned DN event consumed and folded.
    /// The metrics count both topics in Consumed; reading Consumed and then Repartitioned,
    /// Consumed &gt;= records + Repartitioned can only hold once no input record is left and every repartition
    /// record written so far was folded. Under exactly-once repartition records become readable only when
    /// their transaction commits, so this includes the last commit that carries DN events.</item>
    /// <item>input committed: the progress topic (read_committed) holds, for every input partition, its end
    /// offset, so the input's offsets and agent snapshots are durable.</item>
    /// </list>
    /// </summary>
    private static async Task<ProcessorRun> MeasureProcessorAsync(string bootstrapServers, TopicOptions topics, ProducedInput input, ProcessingGuarantee guarantee, string groupId)
    {
        var records = input.Retained;
        using var progress = new ProgressWatcher(bootstrapServers, topics.Progress, topics.Input, input.EndOffsets);
        using var watermarks = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = "benchmark-watermarks" }).Build();

        using var host = BuildProcessorHost(bootstrapServers, topics, groupId, TimeSpan.FromSeconds(1), guarantee);
        var metrics = host.Services.GetRequiredService<PipelineMetrics>();

        await host.StartAsync();
        try
        {
            var limit = Stopwatch.StartNew();
            await WaitUntilAsync(() => metrics.Ready, limit, "the processor was not assigned its partitions");
            var assignedAt = Stopwatch.GetTimestamp();
            var cpuAtAssignment = ProcessCpu();
            long inputConsumedAt = 0;
            var stall = new StallDetector(TimeSpan.FromSeconds(3));
            await WaitUntilAsync(() =>
            {
                var consumed = metrics.Consumed;
                if (inputConsumedAt == 0 && consumed - metrics.DnApplied - metrics.Duplicates >= records) inputConsumedAt = Stopwatch.GetTimestamp();
                stall.Observe(consumed);
                return consumed >= records + metrics.Repartitioned;
            }, limit, "the processor did not consume its input",
                () => stall.Stalled ? LostRepartitionRecords(watermarks, topics.DnRepartition) : null);
            var processed = Stopwatch.GetElapsedTime(assignedAt);
            var processedCpu = ProcessCpu() - cpuAtAssignment;
            await WaitUntilAsync(() => progress.ReachedEndAt is not null, limit, "the processor's progress did not reach the end of the input");
            var committed = Stopwatch.GetElapsedTime(assignedAt, progress.ReachedEndAt!.Value);
            await host.StopAsync();
            return new ProcessorRun(Stopwatch.GetElapsedTime(assignedAt, inputConsumedAt), processed, processedCpu, committed,
                metrics.DeadLettered, metrics.Skipped, Counters(metrics));
        }
        catch
        {
            // Stop the host while the cluster is still up, or its clients log every reconnect attempt.
            await host.StopAsync();
            throw;
        }
    }

    private static string Counters(PipelineMetrics metrics) => string.Create(CultureInfo.InvariantCulture,
        $"consumed {metrics.Consumed:N0} (input + repartition), agent applied {metrics.AgentApplied:N0}, DN applied {metrics.DnApplied:N0}, repartitioned {metrics.Repartitioned:N0}, duplicates {metrics.Duplicates:N0}, no state rule {metrics.NoStateRule:N0}, skipped {metrics.Skipped:N0}, dead-lettered {metrics.DeadLettered:N0}, commits {metrics.Commits:N0}, snapshots written {metrics.SnapshotsWritten:N0}");

    /// <summary>Whether a counter has stood still for a while: the processor has nothing left it can read.</summary>
    private sealed class StallDetector(TimeSpan patience)
    {
        private long _last = -1;
        private long _changedAt = Stopwatch.GetTimestamp();

        public bool Stalled => Stopwatch.GetElapsedTime(_changedAt) > patience;

        public void Observe(long value)
        {
            if (value == _last) return;
            _last = value;
            _changedAt = Stopwatch.GetTimestamp();
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, Stopwatch limit, string failure, Func<string?>? whyNever = null)
    {
        var nextCheck = TimeSpan.FromSeconds(1);
        while (!condition())
        {
            if (limit.Elapsed > WaitLimit) throw new TimeoutException($"{failure} within {WaitLimit}");
            if (whyNever is not null && limit.Elapsed > nextCheck)
            {
                nextCheck = limit.Elapsed + TimeSpan.FromSeconds(1);
                if (whyNever() is { } reason) throw new InvalidOperationException($"{failure}: {reason}");
            }
            await Task.Delay(PollInterval);
        }
    }

    /// <summary>
    /// The mock brokers drop the oldest records of a partition beyond about 5 MB. When the processor's
    /// consumer lags that far behind on the repartition topic (its prefetched input queues ahead of the
    /// repartition records), DN events are lost and the run cannot end.
    /// </summary>
    private static string? LostRepartitionRecords(IConsumer<Ignore, Ignore> watermarks, string repartitionTopic)
    {
        var dropped = Enumerable.Range(0, Partitions)
            .Select(p => watermarks.QueryWatermarkOffsets(new TopicPartition(repartitionTopic, p), TimeSpan.FromSeconds(10)).Low.Value)
            .Sum();
        return dropped > 0
            ? $"INVALID RUN: it stalled, and the mock brokers dropped the oldest {dropped:N0} repartition records (they keep about 5 MB per partition), so DN events it had not read are gone; use fewer --records"
            : null;
    }

}
