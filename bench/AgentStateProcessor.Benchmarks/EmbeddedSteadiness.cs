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
/// Runs the embedded default as <c>scripts/run.sh</c> does (no Kafka configured: the mock cluster, the
/// simulated contact center and the processor in one process) and samples it from outside the processor:
/// input records/s and committed records/s from the topics' end offsets and the progress topic, the
/// committed lag of input and repartition topics, records the mock brokers dropped, resident memory (the
/// mock brokers' logs are native memory of this process) next to the managed heap, and CPU.
/// </summary>
internal static class EmbeddedSteadiness
{
    public static async Task<int> RunAsync(SubcommandOptions options)
    {
        var minutes = options.PositiveInt("--minutes", 30);
        var sampleSeconds = options.PositiveInt("--sample-seconds", 30);
        var rate = options.PositiveInt("--rate", new EmbeddedOptions().EventsPerSecond);
        var csvPath = options.Text("--csv", Path.Combine(Path.GetTempPath(), "embedded-steadiness.csv"));

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Configuration.AddInMemoryCollection([new($"{EmbeddedOptions.SectionName}:EventsPerSecond", rate.ToString(CultureInfo.InvariantCulture))]);
        QuietLogging(builder);
        builder.AddAgentStateProcessor();
        using var host = builder.Build();
        var cluster = host.Services.GetRequiredService<MockKafkaCluster>();
        var topics = host.Services.GetRequiredService<IOptions<TopicOptions>>().Value;
        var partitions = host.Services.GetRequiredService<IOptions<EmbeddedOptions>>().Value.Partitions;
        using var watermarks = WatermarkClient(cluster.BootstrapServers);
        using var progress = new ProgressWatcher(cluster.BootstrapServers, topics.Progress, topics.Input);

        Print($"embedded: {minutes} min at {rate:N0} events/s (the embedded default's simulator and processor, one process), a sample every {sampleSeconds} s; CSV: {csvPath}");
        Print($"embedded: load average at start {LoadAverage()}");
        var header = new[] { "elapsed_s", "input_per_s", "committed_per_s", "input_lag", "repartition_lag", "dropped", "rss_mb", "heap_mb", "cpu_pct", "mock_cpu_pct", "load1" };
        var csv = new StringBuilder().AppendJoin(',', header).AppendLine();
        Print($"{"elapsed",8} {"input/s",9} {"commit/s",9} {"in lag",8} {"rep lag",8} {"dropped",8} {"RSS MB",7} {"heap MB",8} {"CPU %",6} {"mock %",7} {"load",5}");

        await host.StartAsync();
        var samples = new List<Sample>();
        try
        {
            var clock = Stopwatch.StartNew();
            var previous = Observe(clock, watermarks, progress, topics, partitions);
            while (clock.Elapsed < TimeSpan.FromMinutes(minutes))
            {
                await Task.Delay(TimeSpan.FromSeconds(sampleSeconds));
                var now = Observe(clock, watermarks, progress, topics, partitions);
                var seconds = (now.Elapsed - previous.Elapsed).TotalSeconds;
                var sample = new Sample(
                    now.Elapsed.TotalSeconds,
                    (now.InputEnd - previous.InputEnd) / seconds,
                    (now.InputCommitted - previous.InputCommitted) / seconds,
                    now.InputEnd - now.InputCommitted,
                    now.RepartitionEnd - now.RepartitionCommitted,
                    now.Dropped,
                    now.Resident / 1_048_576.0,
                    GC.GetGCMemoryInfo().HeapSizeBytes / 1_048_576.0,
                    100 * (now.Cpu - previous.Cpu).TotalSeconds / seconds,
                    100 * (now.MockCpu - previous.MockCpu).TotalSeconds / seconds,
                    double.Parse(LoadAverage().Split(' ')[0], CultureInfo.InvariantCulture));
                samples.Add(sample);
                previous = now;
                Print($"{sample.ElapsedSeconds,8:N0} {sample.InputPerSecond,9:N0} {sample.CommittedPerSecond,9:N0} {sample.InputLag,8:N0} {sample.RepartitionLag,8:N0} {sample.Dropped,8:N0} {sample.ResidentMb,7:N0} {sample.HeapMb,8:N1} {sample.CpuPercent,6:N0} {sample.MockCpuPercent,7:N0} {sample.Load,5:N2}");
                csv.AppendJoin(',', new[] { sample.ElapsedSeconds, sample.InputPerSecond, sample.CommittedPerSecond, sample.InputLag, sample.RepartitionLag, sample.Dropped, sample.ResidentMb, sample.HeapMb, sample.CpuPercent, sample.MockCpuPercent, sample.Load }
                    .Select(v => v.ToString("0.##", CultureInfo.InvariantCulture))).AppendLine();
                await File.WriteAllTextAsync(csvPath, csv.ToString());
            }
        }
        finally
        {
            await host.StopAsync();
        }

        // Flat: after the first minute (group join, JIT), every sample commits within 20% of the input rate,
        // the committed lag stays below 5 s of input, and the mock brokers drop nothing unread.
        var settled = samples.Where(s => s.ElapsedSeconds > 60).ToList();
        if (settled.Count == 0) settled = samples;
        var minRate = settled.Min(s => s.CommittedPerSecond);
        var maxRate = settled.Max(s => s.CommittedPerSecond);
        var maxLag = settled.Max(s => s.InputLag + s.RepartitionLag);
        var flat = minRate >= 0.8 * rate && maxRate <= 1.2 * rate && maxLag <= 5 * rate && samples[^1].Dropped == 0;
        Print($"embedded: committed {minRate:N0}..{maxRate:N0} records/s, max lag (input + repartition) {maxLag:N0}, RSS {samples[0].ResidentMb:N0} -> {samples[^1].ResidentMb:N0} MB, process CPU {settled.Average(s => s.CpuPercent):N0}% of a core (mock brokers {settled.Average(s => s.MockCpuPercent):N0}%), dropped {samples[^1].Dropped:N0}");
        Print($"embedded: {rate:N0} events/s for {minutes} min: {(flat ? "flat" : "NOT flat")} (target: every sample after the first minute within 20% of the input rate, lag below 5 s of input, nothing dropped: {(flat ? "met" : "NOT met")})");
        return flat ? 0 : 1;
    }

    private sealed record Sample(double ElapsedSeconds, double InputPerSecond, double CommittedPerSecond, long InputLag, long RepartitionLag,
        long Dropped, double ResidentMb, double HeapMb, double CpuPercent, double MockCpuPercent, double Load);

    private sealed record Observation(TimeSpan Elapsed, long InputEnd, long InputCommitted, long RepartitionEnd, long RepartitionCommitted,
        long Dropped, long Resident, TimeSpan Cpu, TimeSpan MockCpu);

    private static Observation Observe(Stopwatch clock, IConsumer<Ignore, Ignore> watermarks,
        ProgressWatcher progress, TopicOptions topics, int partitions)
    {
        var input = Watermarks(watermarks, topics.Input, partitions);
        var repartition = Watermarks(watermarks, topics.DnRepartition, partitions);
        var inputCommitted = progress.Positions(topics.Input, partitions);
        var repartitionCommitted = progress.Positions(topics.DnRepartition, partitions);
        // Records the mock dropped (it keeps a bounded log per partition) before the processor committed past them.
        var dropped = input.Select((w, p) => Math.Max(0, w.Low.Value - inputCommitted[p])).Sum()
            + repartition.Select((w, p) => Math.Max(0, w.Low.Value - repartitionCommitted[p])).Sum();
        return new Observation(clock.Elapsed,
            input.Sum(w => w.High.Value), inputCommitted.Sum(),
            repartition.Sum(w => w.High.Value), repartitionCommitted.Sum(),
            dropped, ResidentBytes(), ProcessCpu(), MockThreadCpu());
    }
}
