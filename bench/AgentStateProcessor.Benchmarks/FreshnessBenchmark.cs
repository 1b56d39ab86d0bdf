using System.Diagnostics;
using AgentStateProcessor.Configuration;
using AgentStateProcessor.Kafka;
using AgentStateProcessor.Processing.Snapshots;
using Avro;
using Avro.Generic;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using static AgentStateProcessor.Benchmarks.BenchmarkSupport;

namespace AgentStateProcessor.Benchmarks;

/// <summary>
/// Freshness: how long from an input record's append until a read_committed reader of the snapshot topics
/// sees a snapshot of its effect. Steady simulated input is produced into the mock cluster while the
/// processor's host runs; for every snapshot the reader takes its <c>source</c> (the input position of the
/// last event applied; for DN snapshots the original input position, across the repartition hop) and
/// subtracts the moment that input record's produce was acknowledged from the moment it saw the snapshot.
/// </summary>
internal static class FreshnessBenchmark
{
    private const double AgentTargetFactor = 2;
    private const double DnTargetFactor = 3;
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(SubcommandOptions options)
    {
        var seconds = options.PositiveInt("--seconds", 60);
        var rate = options.PositiveInt("--rate", 5_000);
        var agents = options.PositiveInt("--agents", 20_000);
        var commitInterval = TimeSpan.FromMilliseconds(options.PositiveInt("--commit-interval", 100));
        var readerFetchWait = options.PositiveInt("--reader-fetch-wait", 500);
        // The processor's Kafka:FetchWaitMax: 10 ms as the embedded default sets on the mock; 500 is librdkafka's own default.
        var fetchWait = options.PositiveInt("--fetch-wait", 10);
        var topics = new TopicOptions();

        using var cluster = StartCluster([topics]);
        using var host = BuildProcessorHost(cluster.BootstrapServers, topics, "benchmark-freshness", commitInterval,
            fetchWaitMax: TimeSpan.FromMilliseconds(fetchWait));
        var metrics = host.Services.GetRequiredService<PipelineMetrics>();
        Print($"freshness: {rate:N0} events/s of {agents:N0} agents for {seconds} s after a {Warmup.TotalSeconds:N0} s warm-up; processor commit interval {commitInterval.TotalMilliseconds:N0} ms, fetch.wait.max.ms {fetchWait}; reader fetch.wait.max.ms {readerFetchWait}; mock cluster in this process");
        await host.StartAsync();
        try
        {
            await WaitUntilAsync(() => metrics.Ready, TimeSpan.FromMinutes(2), "the processor was not assigned its partitions");
            var ackCapacity = (int)(rate * (seconds + Warmup.TotalSeconds + 30) / Partitions * 2);
            using var reader = new SnapshotReader(cluster.BootstrapServers, topics, readerFetchWait);
            using var input = new PacedInput(cluster.BootstrapServers, topics.Input, agents, rate, ackCapacity);
            reader.Input = input;
            await Task.Delay(Warmup);
            var load = LoadAverage();
            var (cpu, mockCpu, produced) = (ProcessCpu(), MockThreadCpu(), input.Produced);
            reader.MeasureFrom = Stopwatch.GetTimestamp();
            var clock = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(seconds));
            reader.MeasureUntil = Stopwatch.GetTimestamp();
            var producedRate = (input.Produced - produced) / clock.Elapsed.TotalSeconds;
            var (cpuShare, mockShare) = ((ProcessCpu() - cpu) / clock.Elapsed, (MockThreadCpu() - mockCpu) / clock.Elapsed);
            input.Stop();
            await Task.Delay(Drain);
            reader.Stop();

            var agentLatencies = reader.Latencies(isAgent: true);
            var dnLatencies = reader.Latencies(isAgent: false);
            Print($"freshness: input produced at {producedRate:N0} events/s; process CPU {cpuShare * 100:N0}% of a core (mock brokers' thread {mockShare * 100:N0}%); load average before the window {load}, after {LoadAverage()}");
            Report("agent", agentLatencies);
            Report("DN", dnLatencies);
            if (reader.Unknown > 0) Print($"freshness: {reader.Unknown:N0} snapshots named an input position with no acknowledgement time (left out)");
            var agentP99 = Quantile(agentLatencies, 0.99);
            var dnP99 = Quantile(dnLatencies, 0.99);
            var agentMet = agentP99 <= AgentTargetFactor * commitInterval.TotalMilliseconds;
            var dnMet = dnP99 <= DnTargetFactor * commitInterval.TotalMilliseconds;
            Print($"freshness: agent p99 {agentP99:N0} ms, DN p99 {dnP99:N0} ms at commit interval {commitInterval.TotalMilliseconds:N0} ms (target agent <= {AgentTargetFactor * commitInterval.TotalMilliseconds:N0} ms, DN <= {DnTargetFactor * commitInterval.TotalMilliseconds:N0} ms): {(agentMet && dnMet ? "met" : agentMet ? "agent met, DN NOT met" : dnMet ? "DN met, agent NOT met" : "NOT met")}");
            return agentMet && dnMet ? 0 : 1;
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static void Report(string kind, List<double> latencies) =>
        Print($"freshness: {kind} snapshots: {latencies.Count:N0} seen; p50 {Quantile(latencies, 0.5):N0} ms, p99 {Quantile(latencies, 0.99):N0} ms, max {(latencies.Count == 0 ? double.NaN : latencies[^1]):N0} ms");

    /// <summary>A read_committed reader of both snapshot topics, outside any group, noting when it sees each snapshot.</summary>
    private sealed class SnapshotReader : IDisposable
    {
        private readonly IConsumer<byte[]?, byte[]?> _consumer;
        private readonly string _agentTopic;
        private readonly Thread _thread;
        private readonly CancellationTokenSource _stop = new();
        private readonly List<double> _agent = [], _dn = [];
        private long _measureFrom = long.MaxValue, _measureUntil = long.MaxValue;

        public SnapshotReader(string bootstrapServers, TopicOptions topics, int fetchWaitMs)
        {
            _agentTopic = topics.AgentSnapshots;
            _consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
            {
                BootstrapServers = bootstrapServers,
                GroupId = "benchmark-freshness-reader",
                EnableAutoCommit = false,
                IsolationLevel = IsolationLevel.ReadCommitted,
                FetchWaitMaxMs = fetchWaitMs,
            }).Build();
            _consumer.Assign(Enumerable.Range(0, Partitions)
                .SelectMany(p => new[] { new TopicPartitionOffset(topics.AgentSnapshots, p, Offset.Beginning), new TopicPartitionOffset(topics.DnSnapshots, p, Offset.Beginning) }));
            _thread = new Thread(Read) { IsBackground = true, Name = "snapshot-reader" };
            _thread.Start();
        }

        public PacedInput? Input { get; set; }

        /// <summary>Only input records acknowledged from this Stopwatch timestamp on are measured (after the warm-up).</summary>
        public long MeasureFrom { set => Interlocked.Exchange(ref _measureFrom, value); }

        /// <summary>... and before this one (the end of steady input).</summary>
        public long MeasureUntil { set => Interlocked.Exchange(ref _measureUntil, value); }

        public long Unknown { get; private set; }

        /// <summary>Milliseconds, sorted.</summary>
        public List<double> Latencies(bool isAgent)
        {
            var list = isAgent ? _agent : _dn;
            list.Sort();
            return list;
        }

        private void Read()
        {
            while (!_stop.IsCancellationRequested)
            {
                var result = _consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (result is null || result.IsPartitionEOF || result.Message.Value is null) continue;
                var seenAt = Stopwatch.GetTimestamp();
                var isAgent = result.Topic == _agentTopic;
                var snapshot = SnapshotCodec.Decode(isAgent ? SnapshotSchemas.Agent : SnapshotSchemas.Dn, result.Message.Value);
                var source = (GenericRecord)snapshot["source"];
                var ackedAt = Input?.AckedAt((int)source["partition"], (long)source["offset"]) ?? 0;
                if (ackedAt == 0)
                {
                    Unknown++;
                    continue;
                }
                if (ackedAt < Interlocked.Read(ref _measureFrom) || ackedAt >= Interlocked.Read(ref _measureUntil)) continue;
                (isAgent ? _agent : _dn).Add(Stopwatch.GetElapsedTime(ackedAt, seenAt).TotalMilliseconds);
            }
        }

        public void Stop()
        {
            if (_stop.IsCancellationRequested) return;
            _stop.Cancel();
            _thread.Join();
        }

        public void Dispose()
        {
            Stop();
            _consumer.Close();
            _consumer.Dispose();
            _stop.Dispose();
        }
    }
}
