using System.Diagnostics;
using System.Globalization;
using System.Text;
using AgentStateProcessor.Configuration;
using AgentStateProcessor.Hosting;
using AgentStateProcessor.Kafka;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using static AgentStateProcessor.Benchmarks.BenchmarkSupport;

namespace AgentStateProcessor.Benchmarks;

/// <summary>
/// The soak: runs the embedded default as <c>scripts/run.sh</c> does (no Kafka configured: the mock cluster,
/// the simulated contact center at a steady rate and the processor in one process) for a bounded number of
/// minutes and samples it every few seconds. Rates and lag are observed from outside the processor (topic end
/// offsets, the progress topic read read_committed); freshness is the processor's own (<see cref="PipelineMetrics"/>,
/// what the progress line shows); memory is the process's resident set (the mock brokers' logs are native
/// memory of this process) next to the managed heap. With <c>--mock-process</c> the mock cluster runs in a child
/// process (<see cref="MockClusterProcess"/>) and this one holds the simulator and the processor only, so its
/// resident set is the processor's; the child's is sampled beside it. Writes a CSV after every sample, a summary with
/// least-squares memory slopes over the second half, and a PNG plot.
/// </summary>
internal static class Soak
{
    /// <summary>Group join, restore and JIT happen in the first minute; rates and lag are judged after it.</summary>
    private static readonly TimeSpan SettlingTime = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Memory counts as flat below this slope over the second half. A 30-minute run cannot resolve less against
    /// the sampling noise of the resident set; a slower leak needs a longer run.
    /// </summary>
    private const double FlatMemoryMbPerHour = 20;

    public static async Task<int> RunAsync(SubcommandOptions options)
    {
        var minutes = options.PositiveInt("--minutes", 30);
        var sampleSeconds = options.PositiveInt("--sample-seconds", 5);
        var rate = options.PositiveInt("--rate", new EmbeddedOptions().EventsPerSecond);
        var directory = options.Text("--out", Path.Combine(Path.GetTempPath(), "agentstateprocessor-soak"));
        var mockApart = options.Flag("--mock-process");
        Directory.CreateDirectory(directory);
        var csvPath = Path.Combine(directory, "soak.csv");
        var pngPath = Path.Combine(directory, "soak.png");

        // Before any client: with the mock brokers apart no mock cluster in this process binds the bundled library.
        BundledLibrdkafka.Load();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Configuration.AddInMemoryCollection([new($"{EmbeddedOptions.SectionName}:EventsPerSecond", rate.ToString(CultureInfo.InvariantCulture))]);
        QuietLogging(builder);
        var started = DateTimeOffset.UtcNow;
        List<Sample> samples;
        bool stoppedEarly;
        // Disposed (its input closed, then killed) on every way out of this method; should this process die
        // without running it, the child sees its input close and ends by itself.
        using (var mock = mockApart ? StartMockProcess(builder.Configuration) : null)
        {
            if (mock is not null) builder.Configuration.AddInMemoryCollection(HostingExtensions.MockClusterClientSettings(mock.BootstrapServers));
            builder.AddAgentStateProcessor();
            if (mock is not null) builder.AddSimulatedContactCenter();
            // Its clients and the processor are gone before the mock process is.
            (samples, stoppedEarly) = await SampleAsync(builder, mock, minutes, sampleSeconds, rate, directory, csvPath);
        }

        var summary = SoakSummary.Of(samples, rate, SettlingTime, FlatMemoryMbPerHour, mockApart);
        foreach (var line in summary.Lines()) Print($"soak: {line}");
        SoakPlot.Save(pngPath, samples, summary,
            $"Soak of the embedded default{(mockApart ? " (mock brokers in a child process)" : "")}: {rate:N0} events/s for {minutes} min, started {started:yyyy-MM-dd HH:mm} UTC ({Environment.ProcessorCount} cores, shared)");
        Print($"soak: CSV {csvPath}, plot {pngPath}");
        // Stopped by a signal or by the processor itself, it did not soak for the time asked; whatever its figures say.
        if (stoppedEarly) Print($"soak: stopped early, after {(samples.Count == 0 ? 0 : samples[^1].ElapsedMinutes):N1} of {minutes} min");
        return summary.AllMet && !stoppedEarly ? 0 : 1;
    }

    /// <summary>Runs the host and samples it until the minutes are over or the host stops (then <c>StoppedEarly</c>).</summary>
    private static async Task<(List<Sample> Samples, bool StoppedEarly)> SampleAsync(HostApplicationBuilder builder, MockClusterProcess? mock,
        int minutes, int sampleSeconds, int rate, string directory, string csvPath)
    {
        using var host = builder.Build();
        var bootstrapServers = mock?.BootstrapServers ?? host.Services.GetRequiredService<MockKafkaCluster>().BootstrapServers;
        var metrics = host.Services.GetRequiredService<PipelineMetrics>();
        var topics = host.Services.GetRequiredService<IOptions<TopicOptions>>().Value;
        var partitions = host.Services.GetRequiredService<IOptions<EmbeddedOptions>>().Value.Partitions;
        using var watermarks = WatermarkClient(bootstrapServers);
        using var progress = new ProgressWatcher(bootstrapServers, topics.Progress, topics.Input);
        var observer = new Observer(watermarks, progress, metrics, topics, partitions, mock);

        Print($"soak: {minutes} min at {rate:N0} events/s (the embedded default's simulator and processor, {(mock is null ? "one process" : $"the mock brokers apart in process {mock.Id}")}), a sample every {sampleSeconds} s, into {directory}");
        Print($"soak: started {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss} UTC, {Environment.ProcessorCount} cores, load average {LoadAverage()}");
        var csv = new StringBuilder().AppendJoin(',', Sample.CsvHeader).AppendLine();
        Print($"{"elapsed",7} {"input/s",8} {"commit/s",8} {"in lag",7} {"rep lag",7} {"dropped",7} {"retained",9} {"agent p99",9} {"DN p99",7} {"RSS MB",7} {"anon MB",7} {"heap MB",7} {"CPU %",6} {"mock %",6} {"load",5}{(mock is null ? "" : $" {"mock RSS",8} {"mock anon",9}")}");

        var samples = new List<Sample>();
        // Ctrl+C or SIGTERM stop the host (its console lifetime), as does a processor that gives up; the soak then ends early with what it sampled.
        var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        bool stoppedEarly;
        try
        {
            await host.StartAsync();
            var clock = Stopwatch.StartNew();
            var previous = observer.Observe(clock.Elapsed);
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(sampleSeconds));
            while (clock.Elapsed < TimeSpan.FromMinutes(minutes) && await NextTickAsync(timer, stopping))
            {
                var now = observer.Observe(clock.Elapsed);
                var sample = Sample.Between(previous, now);
                samples.Add(sample);
                previous = now;
                Print($"{sample.ElapsedSeconds,7:N0} {sample.InputPerSecond,8:N0} {sample.CommittedPerSecond,8:N0} {sample.InputLag,7:N0} {sample.RepartitionLag,7:N0} {sample.Dropped,7:N0} {sample.MockRetainedRecords,9:N0} {Millis(sample.AgentFreshnessP99Ms),9} {Millis(sample.DnFreshnessP99Ms),7} {sample.ResidentMb,7:N0} {sample.AnonymousResidentMb,7:N0} {sample.HeapMb,7:N1} {sample.CpuPercent,6:N0} {sample.MockCpuPercent,6:N0} {sample.Load,5:N2}{(mock is null ? "" : $" {Millis(sample.MockResidentMb),8} {Millis(sample.MockAnonymousResidentMb),9}")}");
                csv.AppendJoin(',', sample.CsvFields()).AppendLine();
                await File.WriteAllTextAsync(csvPath, csv.ToString());
            }
            stoppedEarly = stopping.IsCancellationRequested;
        }
        finally
        {
            await host.StopAsync();
        }
        return (samples, stoppedEarly);
    }

    /// <summary>The mock cluster process with the brokers and partitions of the embedded options this host is configured with.</summary>
    private static MockClusterProcess StartMockProcess(IConfiguration configuration)
    {
        var embedded = configuration.GetSection(EmbeddedOptions.SectionName).Get<EmbeddedOptions>() ?? new EmbeddedOptions();
        return MockClusterProcess.Start(embedded.Brokers, embedded.Partitions);
    }

    private static async Task<bool> NextTickAsync(PeriodicTimer timer, CancellationToken stopping)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stopping);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static string Millis(double value) => double.IsNaN(value) ? "-" : value.ToString("N0", CultureInfo.InvariantCulture);

    private sealed class Observer(IConsumer<Ignore, Ignore> watermarks, ProgressWatcher progress, PipelineMetrics metrics, TopicOptions topics, int partitions,
        MockClusterProcess? mock)
    {
        public Observation Observe(TimeSpan elapsed)
        {
            var input = Watermarks(watermarks, topics.Input, partitions);
            var repartition = Watermarks(watermarks, topics.DnRepartition, partitions);
            var inputCommitted = progress.Positions(topics.Input, partitions);
            var repartitionCommitted = progress.Positions(topics.DnRepartition, partitions);
            // Records the mock dropped (it keeps a bounded log per partition) before the processor committed past them.
            var dropped = input.Select((w, p) => Math.Max(0, w.Low.Value - inputCommitted[p])).Sum()
                + repartition.Select((w, p) => Math.Max(0, w.Low.Value - repartitionCommitted[p])).Sum();
            // What the mock brokers hold in their native memory, in records, over every topic.
            var retained = input.Concat(repartition)
                .Concat(new[] { topics.AgentSnapshots, topics.DnSnapshots, topics.DeadLetters }.SelectMany(t => Watermarks(watermarks, t, partitions)))
                .Concat(Watermarks(watermarks, topics.Progress, 1))
                .Sum(w => w.High.Value - w.Low.Value);
            var (mockResident, mockAnonymousResident, mockCpu) = mock?.Measure() ?? (double.NaN, double.NaN, MockThreadCpu());
            return new Observation(elapsed,
                input.Sum(w => w.High.Value), inputCommitted.Sum(),
                repartition.Sum(w => w.High.Value), repartitionCommitted.Sum(),
                dropped, retained, metrics.AgentFreshness.Summary(), metrics.DnFreshness.Summary(),
                ResidentBytes(), AnonymousResidentBytes(), GC.GetGCMemoryInfo().HeapSizeBytes, ProcessCpu(), mockCpu,
                mockResident, mockAnonymousResident);
        }
    }
}

internal sealed record Observation(TimeSpan Elapsed, long InputEnd, long InputCommitted, long RepartitionEnd, long RepartitionCommitted,
    long Dropped, long MockRetainedRecords, LatencySummary AgentFreshness, LatencySummary DnFreshness,
    long ResidentBytes, double AnonymousResidentBytes, long HeapBytes, TimeSpan Cpu, TimeSpan MockCpu,
    double MockResidentBytes, double MockAnonymousResidentBytes);

/// <summary>
/// One soak sample: rates over the interval since the previous one, the rest as observed at its end. Freshness
/// is the p99 of the processor's most recent snapshots (its window of 4,096 per kind, as on the progress line);
/// NaN before any snapshot was visible. Resident memory is given whole and in its anonymous part (without mapped files);
/// the heap is the managed heap's size at the last garbage collection. Memory and CPU are this process's; the mock
/// brokers' CPU is their thread's in one process, the child process's when apart, and their memory is known (not NaN) only then.
/// </summary>
internal sealed record Sample(double ElapsedSeconds, double InputPerSecond, double CommittedPerSecond, long InputLag, long RepartitionLag,
    long Dropped, long MockRetainedRecords, double AgentFreshnessP99Ms, double DnFreshnessP99Ms, double ResidentMb, double AnonymousResidentMb, double HeapMb,
    double CpuPercent, double MockCpuPercent, double Load, double MockResidentMb, double MockAnonymousResidentMb)
{
    /// <summary>The mock process's columns come last, so the columns of one-process reports keep their places.</summary>
    public static readonly string[] CsvHeader =
    [
        "elapsed_s", "input_per_s", "committed_per_s", "input_lag", "repartition_lag", "dropped", "mock_retained_records",
        "agent_freshness_p99_ms", "dn_freshness_p99_ms", "rss_mb", "rss_anon_mb", "heap_mb", "cpu_pct", "mock_cpu_pct", "load1",
        "mock_rss_mb", "mock_rss_anon_mb",
    ];

    public double ElapsedMinutes => ElapsedSeconds / 60;

    public static Sample Between(Observation previous, Observation now)
    {
        var seconds = (now.Elapsed - previous.Elapsed).TotalSeconds;
        return new Sample(
            now.Elapsed.TotalSeconds,
            (now.InputEnd - previous.InputEnd) / seconds,
            (now.InputCommitted - previous.InputCommitted) / seconds,
            now.InputEnd - now.InputCommitted,
            now.RepartitionEnd - now.RepartitionCommitted,
            now.Dropped,
            now.MockRetainedRecords,
            now.AgentFreshness.Samples == 0 ? double.NaN : now.AgentFreshness.P99Ms,
            now.DnFreshness.Samples == 0 ? double.NaN : now.DnFreshness.P99Ms,
            now.ResidentBytes / 1_048_576.0,
            now.AnonymousResidentBytes / 1_048_576.0,
            now.HeapBytes / 1_048_576.0,
            100 * (now.Cpu - previous.Cpu).TotalSeconds / seconds,
            100 * (now.MockCpu - previous.MockCpu).TotalSeconds / seconds,
            double.TryParse(LoadAverage().Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var load) ? load : double.NaN,
            now.MockResidentBytes / 1_048_576.0,
            now.MockAnonymousResidentBytes / 1_048_576.0);
    }

    public IEnumerable<string> CsvFields() =>
        new[]
        {
            ElapsedSeconds, InputPerSecond, CommittedPerSecond, InputLag, RepartitionLag, Dropped, MockRetainedRecords,
            AgentFreshnessP99Ms, DnFreshnessP99Ms, ResidentMb, AnonymousResidentMb, HeapMb, CpuPercent, MockCpuPercent, Load,
            MockResidentMb, MockAnonymousResidentMb,
        }.Select(v => double.IsNaN(v) ? "" : v.ToString("0.##", CultureInfo.InvariantCulture));
}
