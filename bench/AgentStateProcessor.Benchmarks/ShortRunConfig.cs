using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace AgentStateProcessor.Benchmarks;

/// <summary>
/// A short BenchmarkDotNet run (one launch, 3 warm-up and 10 measured iterations) so each benchmark
/// finishes in a minute or two. In-process: BenchmarkDotNet's usual child project would build into
/// the shared source tree and ignore the caller's --artifacts-path.
/// </summary>
internal static class ShortRunConfig
{
    public static IConfig Create() => DefaultConfig.Instance
        .AddJob(Job.Default
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(10)
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithId("ShortInProcess"))
        .AddDiagnoser(MemoryDiagnoser.Default)
        .AddColumn(new EventsPerSecondColumn())
        // Results go to the temporary directory, not into the working tree the command runs in.
        .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "AgentStateProcessor.Benchmarks"));

    /// <summary>One plain line per benchmark, for the README: rate on one core and bytes allocated per event.</summary>
    public static void PrintPerEventLines(Summary summary, string prefix)
    {
        Console.WriteLine();
        foreach (var report in summary.Reports)
        {
            var name = report.BenchmarkCase.Descriptor.WorkloadMethod.Name;
            if (report.ResultStatistics is not { } statistics)
            {
                Console.WriteLine($"{prefix} {name}: no result (see the BenchmarkDotNet log above)");
                continue;
            }
            var allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{prefix} {name}: {1e9 / statistics.Mean:N0} events/s on one core ({statistics.Mean:N1} ns/event ± {statistics.StandardError:N1}), {allocated?.ToString(CultureInfo.InvariantCulture) ?? "?"} B allocated/event"));
        }
    }
}

/// <summary>Mean time per operation turned into a rate; every benchmark here counts one event per operation.</summary>
internal sealed class EventsPerSecondColumn : IColumn
{
    public string Id => nameof(EventsPerSecondColumn);
    public string ColumnName => "Events/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Events per second on one core (1 s / Mean)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        summary[benchmarkCase]?.ResultStatistics is { } statistics
            ? (1e9 / statistics.Mean).ToString("N0", CultureInfo.InvariantCulture)
            : "NA";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;
}
