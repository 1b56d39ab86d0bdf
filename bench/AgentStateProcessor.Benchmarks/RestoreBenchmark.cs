using System.Diagnostics;
using System.Globalization;
using System.Text;
using AgentStateProcessor.Configuration;
using AgentStateProcessor.Kafka;
using AgentStateProcessor.Processing.Snapshots;
using Avro;
using Avro.Generic;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static AgentStateProcessor.Benchmarks.BenchmarkSupport;

namespace AgentStateProcessor.Benchmarks;

/// <summary>
/// Restore on assignment: one snapshot per agent and one per DN written straight onto the snapshot topics,
/// then a processor's host started against them; its stream thread restores every snapshot of its assigned
/// partitions before it processes anything, and logs how many it restored in how long. Two hosts run one
/// after the other in this process: the first restores with code not yet compiled, the second as a
/// long-running service would after a rebalance.
/// </summary>
internal static class RestoreBenchmark
{
    private const double TargetPerSecond = 200_000;
    private const string Tenant = "tenant-01";

    public static async Task<int> RunAsync(SubcommandOptions options)
    {
        var agents = options.PositiveInt("--agents", 100_000);
        var topics = new TopicOptions();
        using var cluster = StartCluster([topics]);

        var clock = Stopwatch.StartNew();
        WriteSnapshots(cluster.BootstrapServers, topics, agents);
        using (var watermarks = WatermarkClient(cluster.BootstrapServers))
        {
            var dropped = Watermarks(watermarks, topics.AgentSnapshots).Sum(w => w.Low.Value) + Watermarks(watermarks, topics.DnSnapshots).Sum(w => w.Low.Value);
            if (dropped > 0)
            {
                Print($"restore: INVALID RUN: the mock brokers dropped the oldest {dropped:N0} snapshots (they keep a bounded log per partition); use fewer --agents");
                return 1;
            }
        }
        Print($"restore: {agents:N0} agent and {agents:N0} DN snapshots written to {topics.AgentSnapshots} and {topics.DnSnapshots} ({Partitions} partitions each) in {clock.Elapsed.TotalSeconds:N1} s");

        var rates = new List<double>();
        foreach (var (round, group) in new[] { ("first (cold)", "benchmark-restore-1"), ("second (warm)", "benchmark-restore-2") })
        {
            var restore = new RestoreLog();
            using var host = BuildProcessorHost(cluster.BootstrapServers, topics, group, TimeSpan.FromSeconds(1), logging: logging =>
            {
                // Whichever category the stream thread logs under: the line is recognised by its values.
                logging.AddProvider(restore);
                logging.AddFilter<RestoreLog>(null, LogLevel.Information);
            });
            var metrics = host.Services.GetRequiredService<PipelineMetrics>();
            var load = LoadAverage();
            var started = Stopwatch.GetTimestamp();
            await host.StartAsync();
            try
            {
                await WaitUntilAsync(() => metrics.Ready && restore.Snapshots is not null, TimeSpan.FromMinutes(3), "the processor did not restore its partitions");
                var toReady = Stopwatch.GetElapsedTime(started);
                var perSecond = restore.Snapshots!.Value / restore.Elapsed.TotalSeconds;
                rates.Add(perSecond);
                Print($"restore: {round}: restored {restore.Snapshots:N0} snapshots in {restore.Elapsed.TotalMilliseconds:N0} ms = {perSecond:N0} snapshots/s (host start to ready {toReady.TotalSeconds:N1} s, group join included); load average {load}");
            }
            finally
            {
                await host.StopAsync();
            }
        }

        ProfileParts(cluster.BootstrapServers, topics);
        var warm = rates[^1];
        var met = warm >= TargetPerSecond;
        Print($"restore: {warm:N0} snapshots/s restored on assignment (warm; {2 * agents:N0} snapshots of {agents:N0} agents) (target >= {TargetPerSecond:N0}/s: {(met ? "met" : "NOT met")})");
        return met ? 0 : 1;
    }

    /// <summary>
    /// Where restore time goes, piece by piece: a bare read_committed consumer reading the same partitions to
    /// their end (no decoding), with librdkafka's default fetch wait and with 10 ms (the mock holds the fetch
    /// that finds a partition's end for the whole wait), and decoding the same bytes into generic Avro
    /// records in memory, on one thread.
    /// </summary>
    private static void ProfileParts(string bootstrapServers, TopicOptions topics)
    {
        var values = BareRead(bootstrapServers, topics, fetchWaitMs: null);
        BareRead(bootstrapServers, topics, fetchWaitMs: 10);
        var clock = Stopwatch.StartNew();
        foreach (var (isAgent, value) in values) SnapshotCodec.Decode(isAgent ? SnapshotSchemas.Agent : SnapshotSchemas.Dn, value);
        var decode = clock.Elapsed;
        Print($"restore: where the time goes: decoding the {values.Count:N0} snapshots to generic Avro records takes {decode.TotalMilliseconds:N0} ms = {values.Count / decode.TotalSeconds:N0}/s (one thread)");
    }

    private static List<(bool IsAgent, byte[] Value)> BareRead(string bootstrapServers, TopicOptions topics, int? fetchWaitMs)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "benchmark-restore-bare",
            FetchWaitMaxMs = fetchWaitMs,
            IsolationLevel = IsolationLevel.ReadCommitted,
            EnablePartitionEof = true,
            EnableAutoCommit = false,
        }).Build();
        var partitions = Enumerable.Range(0, Partitions)
            .SelectMany(p => new[] { new TopicPartitionOffset(topics.AgentSnapshots, p, Offset.Beginning), new TopicPartitionOffset(topics.DnSnapshots, p, Offset.Beginning) })
            .ToList();
        var values = new List<(bool IsAgent, byte[] Value)>();
        var clock = Stopwatch.StartNew();
        consumer.Assign(partitions);
        var remaining = partitions.Count;
        while (remaining > 0)
        {
            var result = consumer.Consume(TimeSpan.FromSeconds(1));
            if (result is null) continue;
            if (result.IsPartitionEOF) remaining--;
            else values.Add((result.Topic == topics.AgentSnapshots, result.Message.Value!));
        }
        var read = clock.Elapsed;
        consumer.Close();
        Print($"restore: where the time goes: a bare read_committed consumer (fetch.wait.max.ms {(fetchWaitMs is { } wait ? wait.ToString(System.Globalization.CultureInfo.InvariantCulture) : "default 500")}) assigned the same partitions reads the {values.Count:N0} snapshots to their end in {read.TotalMilliseconds:N0} ms = {values.Count / read.TotalSeconds:N0}/s");
        return values;
    }

    /// <summary>Snapshots like the processor's: a logged-in agent in one or two queues and its DN, each partitioned by key as the processor does.</summary>
    private static void WriteSnapshots(string bootstrapServers, TopicOptions topics, int agents)
    {
        var agentSchema = SnapshotSchemas.Agent;
        var dnSchema = SnapshotSchemas.Dn;
        var status = (EnumSchema)agentSchema["state"].Schema;
        var workMode = (EnumSchema)((UnionSchema)agentSchema["workMode"].Schema).Schemas.Single(s => s is EnumSchema);
        var agentSource = (RecordSchema)agentSchema["source"].Schema;
        var dnSource = (RecordSchema)dnSchema["source"].Schema;
        var now = DateTime.UtcNow;
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            LingerMs = 50,
            EnableIdempotence = true,
            Acks = Acks.All,
        }).Build();
        for (var i = 0; i < agents; i++)
        {
            var agentId = $"agent-{i + 1:D6}";
            var dn = (100000 + i).ToString(CultureInfo.InvariantCulture);
            var queues = i % 3 == 0 ? new[] { "8000", "8001" } : new[] { "8000" };
            var agentKey = $"{Tenant}:{agentId}";
            var agentPartition = KeyPartitioner.PartitionOf(agentKey, Partitions);
            var agent = new GenericRecord(agentSchema);
            agent.Add("tenantId", Tenant);
            agent.Add("agentId", agentId);
            agent.Add("state", new GenericEnum(status, "Ready"));
            agent.Add("workMode", new GenericEnum(workMode, "AgentAutoIn"));
            agent.Add("reasonCode", null);
            agent.Add("dn", dn);
            agent.Add("queues", queues);
            agent.Add("loggedInSince", now.AddMinutes(-30));
            agent.Add("stateSince", now.AddMinutes(-2));
            agent.Add("updatedAt", now.AddMinutes(-2));
            agent.Add("lastEvent", "EventAgentReady");
            agent.Add("eventCount", 12L);
            agent.Add("source", Position(agentSource, topics.Input, agentPartition, i));
            Produce(producer, topics.AgentSnapshots, agentPartition, agentKey, agent);

            var dnKey = $"{Tenant}:{dn}";
            var dnPartition = KeyPartitioner.PartitionOf(dnKey, Partitions);
            var dnRecord = new GenericRecord(dnSchema);
            dnRecord.Add("tenantId", Tenant);
            dnRecord.Add("dn", dn);
            dnRecord.Add("inService", true);
            dnRecord.Add("dnd", false);
            dnRecord.Add("forwardTo", null);
            dnRecord.Add("offHook", false);
            dnRecord.Add("mutedConnections", Array.Empty<string>());
            dnRecord.Add("agentId", agentId);
            dnRecord.Add("queues", queues);
            dnRecord.Add("updatedAt", now.AddMinutes(-2));
            dnRecord.Add("lastEvent", "EventAgentReady");
            dnRecord.Add("eventCount", 12L);
            dnRecord.Add("source", Position(dnSource, topics.Input, agentPartition, i));
            dnRecord.Add("inputPositions", new Dictionary<string, object> { [agentPartition.ToString(CultureInfo.InvariantCulture)] = (long)i });
            Produce(producer, topics.DnSnapshots, dnPartition, dnKey, dnRecord);
        }
        if (producer.Flush(TimeSpan.FromMinutes(2)) > 0) throw new TimeoutException("the snapshots were not acknowledged within 2 minutes");
    }

    private static GenericRecord Position(RecordSchema schema, string topic, int partition, long offset)
    {
        var position = new GenericRecord(schema);
        position.Add("topic", topic);
        position.Add("partition", partition);
        position.Add("offset", offset);
        return position;
    }

    private static void Produce(IProducer<byte[], byte[]> producer, string topic, int partition, string key, GenericRecord snapshot) =>
        producer.ProduceWhenRoom(new TopicPartition(topic, partition), new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(key), Value = SnapshotCodec.Encode(snapshot) },
            report => { if (report.Error.IsError) throw new KafkaException(report.Error); });

    /// <summary>Takes the stream thread's "restored N snapshots in M ms" log line apart (its structured values).</summary>
    private sealed class RestoreLog : ILoggerProvider, ILogger
    {
        public long? Snapshots { get; private set; }
        public TimeSpan Elapsed { get; private set; }

        public ILogger CreateLogger(string categoryName) => this;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is not IReadOnlyList<KeyValuePair<string, object?>> values) return;
            var snapshots = values.FirstOrDefault(v => v.Key == "Snapshots").Value;
            var elapsed = values.FirstOrDefault(v => v.Key == "Elapsed").Value;
            if (snapshots is null || elapsed is null) return;
            Elapsed = TimeSpan.FromMilliseconds(Convert.ToDouble(elapsed, CultureInfo.InvariantCulture));
            Snapshots = Convert.ToInt64(snapshots, CultureInfo.InvariantCulture);
        }

        public void Dispose()
        {
        }
    }
}
