using System.Diagnostics;
using System.Globalization;
using AgentStateProcessor.Configuration;
using AgentStateProcessor.Hosting;
using AgentStateProcessor.Kafka;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentStateProcessor.Benchmarks;

/// <summary>What the end-to-end benchmarks share: the mock cluster and its topics, the processor's host, produce, offsets, CPU and load.</summary>
internal static class BenchmarkSupport
{
    public const int Partitions = 6;

    /// <summary>Three mock brokers in this process, with the processor's topics (6 partitions, progress 1) and any <paramref name="extraTopics"/>.</summary>
    public static MockKafkaCluster StartCluster(IEnumerable<TopicOptions> topicSets, params string[] extraTopics)
    {
        var cluster = MockKafkaCluster.Start(brokerCount: 3);
        foreach (var topics in topicSets) HostingExtensions.CreateProcessorTopics(cluster, topics, Partitions);
        foreach (var topic in extraTopics) cluster.CreateTopic(topic, Partitions);
        return cluster;
    }

    /// <summary>The processor's topics under a prefix, so several runs share one cluster without sharing data.</summary>
    public static TopicOptions PrefixedTopics(string prefix)
    {
        var defaults = new TopicOptions();
        return new TopicOptions
        {
            Input = prefix + defaults.Input,
            AgentSnapshots = prefix + defaults.AgentSnapshots,
            DnSnapshots = prefix + defaults.DnSnapshots,
            AgentStateChanges = prefix + defaults.AgentStateChanges,
            DeadLetters = prefix + defaults.DeadLetters,
            DnRepartition = prefix + defaults.DnRepartition,
            Progress = prefix + defaults.Progress,
        };
    }

    /// <summary>The processor's host as production builds it, pointed at <paramref name="bootstrapServers"/>.</summary>
    public static IHost BuildProcessorHost(string bootstrapServers, TopicOptions topics, string groupId, TimeSpan commitInterval,
        ProcessingGuarantee guarantee = ProcessingGuarantee.ExactlyOnce, string? instanceId = null, Action<ILoggingBuilder>? logging = null,
        TimeSpan? fetchWaitMax = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        var settings = new Dictionary<string, string?>
        {
            [$"{KafkaOptions.SectionName}:BootstrapServers"] = bootstrapServers,
            [$"{KafkaOptions.SectionName}:GroupId"] = groupId,
            [$"{TopicOptions.SectionName}:Input"] = topics.Input,
            [$"{TopicOptions.SectionName}:AgentSnapshots"] = topics.AgentSnapshots,
            [$"{TopicOptions.SectionName}:DnSnapshots"] = topics.DnSnapshots,
            [$"{TopicOptions.SectionName}:AgentStateChanges"] = topics.AgentStateChanges,
            [$"{TopicOptions.SectionName}:DeadLetters"] = topics.DeadLetters,
            [$"{TopicOptions.SectionName}:DnRepartition"] = topics.DnRepartition,
            [$"{TopicOptions.SectionName}:Progress"] = topics.Progress,
            [$"{ProcessingOptions.SectionName}:Guarantee"] = guarantee.ToString(),
            [$"{ProcessingOptions.SectionName}:CommitInterval"] = commitInterval.ToString("c", CultureInfo.InvariantCulture),
        };
        if (instanceId is not null) settings[$"{KafkaOptions.SectionName}:InstanceId"] = instanceId;
        if (fetchWaitMax is { } wait) settings[$"{KafkaOptions.SectionName}:FetchWaitMax"] = wait.ToString("c", CultureInfo.InvariantCulture);
        builder.Configuration.AddInMemoryCollection(settings);
        QuietLogging(builder);
        logging?.Invoke(builder.Logging);
        builder.AddAgentStateProcessor();
        return builder.Build();
    }

    /// <summary>Warnings and errors only: the benchmark's own lines are the output.</summary>
    public static void QuietLogging(IHostApplicationBuilder builder)
    {
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // The mock cluster answers DescribeConfigs with a timeout; the provisioner's warning about it is expected here.
        builder.Logging.AddFilter(typeof(TopicProvisioner).FullName, LogLevel.Error);
    }

    /// <summary>A client for watermark queries only; it never joins a group.</summary>
    public static IConsumer<Ignore, Ignore> WatermarkClient(string bootstrapServers) =>
        new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = "benchmark-watermarks" }).Build();

    public static WatermarkOffsets[] Watermarks(IConsumer<Ignore, Ignore> client, string topic, int partitions = Partitions) =>
        Enumerable.Range(0, partitions)
            .Select(p => client.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)))
            .ToArray();

    /// <summary>CPU time of the whole process: the clients' librdkafka threads and the mock brokers included.</summary>
    public static TimeSpan ProcessCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    public static long ResidentBytes()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    /// <summary>
    /// The anonymous part of the resident set (<c>RssAnon</c> in /proc/&lt;pid&gt;/status; NaN elsewhere, or when the
    /// process is gone): heap, native allocations and stacks, without the mapped files (the runtime's and the libraries'
    /// code) that the kernel drops and reloads under memory pressure from other processes. A leak shows here.
    /// </summary>
    /// <param name="processId">Another process; this one when null.</param>
    public static double AnonymousResidentBytes(int? processId = null) => StatusBytes("RssAnon:", processId);

    /// <summary>A size field of /proc/&lt;pid&gt;/status (e.g. <c>VmRSS:</c>) in bytes; NaN elsewhere or when the process is gone.</summary>
    /// <param name="processId">Another process; this one when null.</param>
    public static double StatusBytes(string field, int? processId = null)
    {
        var status = $"/proc/{processId?.ToString(CultureInfo.InvariantCulture) ?? "self"}/status";
        string? line;
        try
        {
            line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return double.NaN;
        }
        return line is not null && long.TryParse(line[field.Length..].Trim().Split(' ')[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var kb)
            ? kb * 1024.0
            : double.NaN;
    }

    /// <summary>
    /// CPU time of this process's threads, summed by thread name (from /proc; empty elsewhere). librdkafka
    /// names its threads, so the mock cluster's shows apart from the clients' and .NET's.
    /// </summary>
    public static Dictionary<string, TimeSpan> ThreadCpuByName()
    {
        var result = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        if (!Directory.Exists("/proc/self/task")) return result;
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(task, "stat"));
            }
            catch (IOException)
            {
                continue; // the thread ended meanwhile
            }
            var name = stat[(stat.IndexOf('(', StringComparison.Ordinal) + 1)..stat.LastIndexOf(')')];
            result[name] = result.GetValueOrDefault(name) + CpuOfStat(stat);
        }
        return result;
    }

    /// <summary>CPU time of another process, from /proc/&lt;pid&gt;/stat; null elsewhere or when it is gone.</summary>
    public static TimeSpan? ProcessCpu(int processId)
    {
        try
        {
            return CpuOfStat(File.ReadAllText($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/stat"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>User and system time of a process's or thread's <c>stat</c> line.</summary>
    private static TimeSpan CpuOfStat(string stat)
    {
        // After the name (in parentheses, may hold spaces): state is field 3, utime and stime fields 14 and 15,
        // in clock ticks (USER_HZ, 100 on Linux).
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    /// <summary>The mock brokers' one thread (librdkafka names it <c>rdk:mock</c>); zero if none is found.</summary>
    public static TimeSpan MockThreadCpu() =>
        ThreadCpuByName().Where(t => t.Key.Contains("mock", StringComparison.OrdinalIgnoreCase)).Aggregate(TimeSpan.Zero, (sum, t) => sum + t.Value);

    /// <summary>The 1-minute load average, the machine being shared (from /proc/loadavg).</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>The <paramref name="fraction"/> quantile (nearest rank) of sorted values; NaN when empty.</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double fraction) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));

    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan limit, string failure)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit) throw new TimeoutException($"{failure} within {limit}");
            await Task.Delay(20);
        }
    }
}
