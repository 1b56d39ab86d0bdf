using System.Diagnostics;
using AgentStateProcessor.Configuration;
using AgentStateProcessor.Kafka;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static AgentStateProcessor.Benchmarks.BenchmarkSupport;

namespace AgentStateProcessor.Benchmarks;

/// <summary>
/// Sustained throughput: the highest input rate at which committed lag stays bounded while input is produced
/// continuously, for the processor, for an exactly-once forwarder (consume, produce every record to another
/// topic, commit in transactions) and for two processor instances sharing the partitions, one after the
/// other on topics of their own in the same mock cluster. Each first takes a short probe above its capacity
/// (what it commits per second while behind), then holds rates from 80% of that for the whole window, one
/// step up while lag stays bounded, one step down while it does not.
/// </summary>
internal static class SustainedThroughput
{
    private const double TargetRatio = 0.5;
    private const double Step = 1.1;
    private const int MaxSteps = 3;
    /// <summary>
    /// Faster than any system here commits, for so short a time that the backlog stays far below what the mock
    /// brokers keep (about 5 MB per partition, some 120,000 simulated records over 6 partitions): it ends
    /// early once the backlog reaches <see cref="ProbeBacklog"/>. Several commit intervals long, as the
    /// committed position moves in steps of one.
    /// </summary>
    private const double ProbeRate = 25_000;
    private const long ProbeBacklog = 100_000;
    private static readonly TimeSpan Probe = TimeSpan.FromSeconds(6);
    private const double WarmupRate = 5_000;
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(SubcommandOptions options)
    {
        var seconds = options.PositiveInt("--seconds", 60);
        var agents = options.PositiveInt("--agents", 20_000);
        var commitInterval = TimeSpan.FromMilliseconds(options.PositiveInt("--commit-interval", (int)new ProcessingOptions().CommitInterval.TotalMilliseconds));
        var single = PrefixedTopics("single-");
        var pair = PrefixedTopics("pair-");
        var forwarderTopics = PrefixedTopics("forwarder-");
        using var cluster = StartCluster([single, pair], forwarderTopics.Input, ForwardedTopic);
        Print($"sustained: windows of {seconds} s, {agents:N0} agents, commit interval {commitInterval.TotalMilliseconds:N0} ms, 3 mock brokers in this process; load average {LoadAverage()}");

        var processor = await FindSustainedRateAsync(new Processors(cluster.BootstrapServers, single, commitInterval, instances: 1), agents, seconds);
        var forwarder = await FindSustainedRateAsync(new Forwarder(cluster.BootstrapServers, forwarderTopics.Input, commitInterval), agents, seconds);
        var two = await FindSustainedRateAsync(new Processors(cluster.BootstrapServers, pair, commitInterval, instances: 2), agents, seconds);

        var ratio = processor / forwarder;
        Print($"sustained: processor {processor:N0} events/s, two instances {two:N0} events/s, exactly-once forwarder {forwarder:N0} records/s; load average {LoadAverage()}");
        Print($"sustained: processor / forwarder = {ratio:N2} ({processor:N0} / {forwarder:N0} events/s with bounded lag for {seconds} s) (target >= {TargetRatio:N1}: {(ratio >= TargetRatio ? "met" : "NOT met")})");
        return ratio >= TargetRatio ? 0 : 1;
    }

    private const string ForwardedTopic = "forwarder-output";

    /// <summary>Something that consumes an input topic and commits its positions.</summary>
    private interface ILoadedSystem : IAsyncDisposable
    {
        string Name { get; }
        string BootstrapServers { get; }
        string InputTopic { get; }
        Task StartAsync();
        /// <summary>Records of every topic it consumes (input and, for the processor, repartition) not yet committed, and those the mock dropped unread.</summary>
        (long Lag, long Committed, long Dropped) Observe(IConsumer<Ignore, Ignore> watermarks);
    }

    private static async Task<double> FindSustainedRateAsync(ILoadedSystem system, int agents, int seconds)
    {
        await using var stopAtEnd = system;
        using var watermarks = WatermarkClient(system.BootstrapServers);
        await system.StartAsync();
        using var input = new PacedInput(system.BootstrapServers, system.InputTopic, agents, WarmupRate);
        // Compiled code and settled clients first, as in a long-running service: a cold start commits a
        // fraction of its steady rate for the first seconds.
        await Task.Delay(Warmup);
        input.Rate = 1;
        await DrainAsync(system, watermarks);
        input.Rate = ProbeRate;

        // The probe: input faster than the system goes; what it commits per second after the first second,
        // with a backlog to work on, is its capacity, give or take a commit.
        await Task.Delay(1000);
        var (_, committedAtStart, _) = system.Observe(watermarks);
        var producedAtStart = input.Produced;
        var clock = Stopwatch.StartNew();
        long lag, committed;
        do
        {
            await Task.Delay(250);
            (lag, committed, _) = system.Observe(watermarks);
        }
        while (clock.Elapsed < Probe && lag < ProbeBacklog);
        var capacity = (committed - committedAtStart) / clock.Elapsed.TotalSeconds;
        Print($"sustained: {system.Name}: probe: input produced at {(input.Produced - producedAtStart) / clock.Elapsed.TotalSeconds:N0}/s for {clock.Elapsed.TotalSeconds:N1} s, it commits {capacity:N0} records/s, lag {lag:N0}");

        var rate = Math.Round(0.85 * capacity / 100) * 100;
        double best = 0;
        var inputLimited = false;
        bool? lastBounded = null;
        for (var step = 0; step < MaxSteps && rate > 0; step++)
        {
            input.Rate = 1; // next to nothing while the backlog drains
            await DrainAsync(system, watermarks);
            input.Rate = rate;
            var (bounded, produced, summary) = await HoldAsync(system, watermarks, input, rate, seconds);
            Print($"sustained: {system.Name}: {rate:N0}/s for {seconds} s: {summary}: {(bounded ? "bounded" : "NOT bounded")}; load average {LoadAverage()}");
            if (bounded) best = Math.Max(best, produced);
            // Below the rate asked for, the producer (same process, same cores) is the limit, not the system.
            inputLimited = bounded && produced < 0.95 * rate;
            if (inputLimited || (lastBounded is { } previous && previous != bounded)) break; // the boundary lies between the last two rates
            lastBounded = bounded;
            rate = Math.Round((bounded ? rate * Step : rate / Step) / 100) * 100;
        }
        input.Stop();
        Print($"sustained: {system.Name}: highest input rate with bounded lag {best:N0}/s{(inputLimited ? " (input-limited: the producer reached no more, so the system's own limit is higher)" : "")}");
        return best;
    }

    private static async Task DrainAsync(ILoadedSystem system, IConsumer<Ignore, Ignore> watermarks)
    {
        var clock = Stopwatch.StartNew();
        while (system.Observe(watermarks) is { Lag: > 2_000, Dropped: 0 } && clock.Elapsed < DrainLimit) await Task.Delay(500);
    }

    /// <summary>
    /// Holds the rate for the window, sampling committed lag every second. Bounded: nothing dropped, and the
    /// mean lag of the last quarter of the window not above that of the second quarter by more than half a
    /// second of input (commits move the committed position in steps of a commit interval; a lag that grows
    /// without bound grows by the excess rate times half the window).
    /// </summary>
    private static async Task<(bool Bounded, double Produced, string Summary)> HoldAsync(ILoadedSystem system, IConsumer<Ignore, Ignore> watermarks, PacedInput input, double rate, int seconds)
    {
        var lags = new List<long>();
        var (_, committedAtStart, _) = system.Observe(watermarks);
        var produced = input.Produced;
        var clock = Stopwatch.StartNew();
        long dropped = 0, committed = committedAtStart;
        var (cpu, mockCpu, threads) = (ProcessCpu(), MockThreadCpu(), ThreadCpuByName());
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            await Task.Delay(1000);
            (var lag, committed, dropped) = system.Observe(watermarks);
            lags.Add(lag);
            if (dropped > 0) break;
        }
        var elapsed = clock.Elapsed.TotalSeconds;
        var quarter = Math.Max(1, lags.Count / 4);
        var second = lags.Skip(quarter).Take(quarter).DefaultIfEmpty().Average();
        var last = lags.TakeLast(quarter).Average();
        var producedRate = (input.Produced - produced) / elapsed;
        var committedRate = (committed - committedAtStart) / elapsed;
        var bounded = dropped == 0 && last <= second + 0.5 * rate;
        var summary = $"produced {producedRate:N0}/s, committed {committedRate:N0}/s, lag {second:N0} -> {last:N0} (mean of 2nd and 4th quarter), max {lags.DefaultIfEmpty().Max():N0}"
            + (dropped > 0 ? $", {dropped:N0} records dropped by the mock before they were committed" : "")
            + $", process CPU {100 * (ProcessCpu() - cpu).TotalSeconds / elapsed:N0}% of a core (mock thread {100 * (MockThreadCpu() - mockCpu).TotalSeconds / elapsed:N0}%)"
            + $"; busiest threads (by name, summed): {BusiestThreads(threads, ThreadCpuByName(), elapsed)}";
        return (bounded, producedRate, summary);
    }

    private static string BusiestThreads(Dictionary<string, TimeSpan> before, Dictionary<string, TimeSpan> after, double seconds) =>
        string.Join(", ", after
            .Select(t => (t.Key, Share: (t.Value - before.GetValueOrDefault(t.Key)).TotalSeconds / seconds))
            .OrderByDescending(t => t.Share)
            .Take(4)
            .Select(t => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{t.Key} {100 * t.Share:N0}%")));

    /// <summary>One or two processor hosts of one group on their own topics; lag read from outside, from the topics' end offsets and the progress topic.</summary>
    private sealed class Processors(string bootstrapServers, TopicOptions topics, TimeSpan commitInterval, int instances) : ILoadedSystem
    {
        private readonly List<IHost> _hosts = [];
        private ProgressWatcher? _progress;

        public string BootstrapServers => bootstrapServers;
        public string Name => instances == 1 ? "processor" : $"{instances} processor instances";
        public string InputTopic => topics.Input;

        public async Task StartAsync()
        {
            _progress = new ProgressWatcher(bootstrapServers, topics.Progress, topics.Input);
            for (var i = 0; i < instances; i++)
            {
                var host = BuildProcessorHost(bootstrapServers, topics, $"benchmark-{topics.Input}", commitInterval, instanceId: $"instance-{i}");
                _hosts.Add(host);
                await host.StartAsync();
            }
            var metrics = _hosts.Select(h => h.Services.GetRequiredService<PipelineMetrics>()).ToList();
            await WaitUntilAsync(() => metrics.All(m => m.Ready), TimeSpan.FromMinutes(2), $"{Name}: not every instance was assigned partitions");
        }

        public (long Lag, long Committed, long Dropped) Observe(IConsumer<Ignore, Ignore> watermarks)
        {
            long lag = 0, committed = 0, dropped = 0;
            foreach (var topic in new[] { topics.Input, topics.DnRepartition })
            {
                var ends = Watermarks(watermarks, topic);
                var positions = _progress!.Positions(topic, Partitions);
                for (var p = 0; p < Partitions; p++)
                {
                    lag += ends[p].High.Value - positions[p];
                    dropped += Math.Max(0, ends[p].Low.Value - positions[p]);
                    if (topic == topics.Input) committed += positions[p];
                }
            }
            return (lag, committed, dropped);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var host in _hosts)
            {
                await host.StopAsync();
                host.Dispose();
            }
            _progress?.Dispose();
        }
    }

    /// <summary>
    /// The exactly-once ceiling for a consume-produce-commit loop on this cluster: every input record produced
    /// to another topic, its offsets sent to the transaction, a commit every commit interval, as the
    /// processor commits. It keeps the positions of its last commit itself (the mock does not store
    /// offsets sent to a transaction).
    /// </summary>
    private sealed class Forwarder(string bootstrapServers, string inputTopic, TimeSpan commitInterval) : ILoadedSystem
    {
        private readonly long[] _committed = new long[Partitions];
        private readonly CancellationTokenSource _stop = new();
        private Thread? _thread;
        private volatile bool _ready;
        private Exception? _failure;

        public string BootstrapServers => bootstrapServers;
        public string Name => "exactly-once forwarder";
        public string InputTopic => inputTopic;

        public async Task StartAsync()
        {
            _thread = new Thread(Run) { IsBackground = true, Name = "eos-forwarder" };
            _thread.Start();
            await WaitUntilAsync(() => _ready || _failure is not null, TimeSpan.FromMinutes(2), "the forwarder was not assigned its partitions");
            if (_failure is not null) throw new InvalidOperationException("the forwarder failed", _failure);
        }

        private void Run()
        {
            try
            {
                using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
                {
                    BootstrapServers = bootstrapServers,
                    GroupId = "benchmark-eos-forwarder",
                    EnableAutoCommit = false,
                    EnableAutoOffsetStore = false,
                    AutoOffsetReset = AutoOffsetReset.Earliest,
                    IsolationLevel = IsolationLevel.ReadCommitted,
                }).SetPartitionsAssignedHandler((_, _) => _ready = true).Build();
                using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
                {
                    BootstrapServers = bootstrapServers,
                    TransactionalId = "benchmark-eos-forwarder",
                    EnableIdempotence = true,
                    Acks = Acks.All,
                    LingerMs = 5,
                    DeliveryReportFields = "status",
                }).Build();
                producer.InitTransactions(TimeSpan.FromSeconds(30));
                consumer.Subscribe(inputTopic);
                producer.BeginTransaction();
                var positions = new long[Partitions];
                var lastCommit = Stopwatch.GetTimestamp();
                while (!_stop.IsCancellationRequested)
                {
                    if (consumer.Consume(TimeSpan.FromMilliseconds(10)) is { IsPartitionEOF: false } result)
                    {
                        producer.ProduceWhenRoom(ForwardedTopic, result.Message);
                        positions[result.Partition.Value] = result.Offset.Value + 1;
                    }
                    if (Stopwatch.GetElapsedTime(lastCommit) < commitInterval) continue;
                    producer.SendOffsetsToTransaction(
                        positions.Select((next, p) => new TopicPartitionOffset(inputTopic, p, next)).Where(o => o.Offset.Value > 0).ToList(),
                        consumer.ConsumerGroupMetadata, TimeSpan.FromSeconds(30));
                    producer.CommitTransaction();
                    for (var p = 0; p < Partitions; p++) Volatile.Write(ref _committed[p], positions[p]);
                    producer.BeginTransaction();
                    lastCommit = Stopwatch.GetTimestamp();
                }
                producer.AbortTransaction();
                consumer.Close();
            }
            catch (Exception e)
            {
                _failure = e;
            }
        }

        public (long Lag, long Committed, long Dropped) Observe(IConsumer<Ignore, Ignore> watermarks)
        {
            if (_failure is not null) throw new InvalidOperationException("the forwarder failed", _failure);
            var ends = Watermarks(watermarks, inputTopic);
            long lag = 0, committed = 0, dropped = 0;
            for (var p = 0; p < Partitions; p++)
            {
                var position = Volatile.Read(ref _committed[p]);
                lag += ends[p].High.Value - position;
                dropped += Math.Max(0, ends[p].Low.Value - position);
                committed += position;
            }
            return (lag, committed, dropped);
        }

        public ValueTask DisposeAsync()
        {
            _stop.Cancel();
            _thread?.Join();
            _stop.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
