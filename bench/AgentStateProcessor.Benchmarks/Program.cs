using AgentStateProcessor.Benchmarks;
using BenchmarkDotNet.Running;

const string Usage = """
    usage: dotnet run -c Release --project bench/AgentStateProcessor.Benchmarks -- <benchmark> [options]
      validation                 JSON bytes to validated event (BenchmarkDotNet)
      fold                       validated events folded into agent and DN stores (BenchmarkDotNet)
      snapshots                  state to single-object snapshot bytes (BenchmarkDotNet)
      memory [--agents N]        retained bytes per tracked agent + DN (default 100000 agents)
      pipeline [--records N] [--agents N] [--guarantee ExactlyOnce|AtLeastOnce]
                                 mock cluster: bare consumer vs the processor host (default 80000 records, 1000 agents, ExactlyOnce)
    BenchmarkDotNet options (e.g. --filter '*Validate*') may follow validation, fold and snapshots.
    """;

try
{
    return args switch
    {
        ["validation", .. var rest] => RunBenchmarkDotNet<ValidationBenchmarks>("validation", rest),
        ["fold", .. var rest] => RunBenchmarkDotNet<FoldBenchmarks>("fold", rest),
        ["snapshots", .. var rest] => RunBenchmarkDotNet<SnapshotBenchmarks>("snapshots", rest),
        ["memory", .. var rest] => MemoryFootprint.Run(SubcommandOptions.Parse(rest, "--agents")),
        ["pipeline", .. var rest] => await PipelineThroughput.RunAsync(SubcommandOptions.Parse(rest, "--records", "--agents", "--guarantee")),
        _ => Fail(Usage),
    };
}
catch (ArgumentException e)
{
    return Fail($"{e.Message}\n{Usage}");
}

static int RunBenchmarkDotNet<TBenchmarks>(string name, string[] benchmarkDotNetArgs)
{
    var summary = BenchmarkRunner.Run<TBenchmarks>(ShortRunConfig.Create(), benchmarkDotNetArgs);
    ShortRunConfig.PrintPerEventLines(summary, name);
    return summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success) ? 1 : 0;
}

static int Fail(string message)
{
    Console.Error.WriteLine(message);
    return 2;
}
