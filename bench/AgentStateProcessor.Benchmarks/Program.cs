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
      freshness [--seconds N] [--rate N] [--agents N] [--commit-interval MS] [--fetch-wait MS] [--reader-fetch-wait MS]
                                 input append to snapshot visible (read_committed), p50/p99/max (default 60 s, 5000/s, 20000 agents, 100 ms, 500 ms)
      sustained [--seconds N] [--agents N] [--commit-interval MS]
                                 highest input rate with bounded lag: processor, exactly-once forwarder, two instances (default 60 s windows)
      restore [--agents N]       snapshots restored per second on assignment (default 100000 agents' and DNs' snapshots)
      soak [--minutes N] [--rate N] [--sample-seconds N] [--out DIR] [--mock-process]
                                 the embedded default at a steady rate, sampled over time: records/s, lag, freshness, memory;
                                 CSV, summary and PNG plot into DIR (default 30 min, 2000 events/s, every 5 s; scripts/soak.sh);
                                 --mock-process: the mock brokers in a child process (mock-cluster), measured apart from the processor
      mock-cluster [--brokers N] [--partitions N]
                                 the soak's helper: the embedded default's mock cluster and topics (default 3 brokers, 6 partitions);
                                 prints the bootstrap servers, runs until its standard input closes or SIGTERM
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
        ["freshness", .. var rest] => await FreshnessBenchmark.RunAsync(SubcommandOptions.Parse(rest, "--seconds", "--rate", "--agents", "--commit-interval", "--fetch-wait", "--reader-fetch-wait")),
        ["sustained", .. var rest] => await SustainedThroughput.RunAsync(SubcommandOptions.Parse(rest, "--seconds", "--agents", "--commit-interval")),
        ["restore", .. var rest] => await RestoreBenchmark.RunAsync(SubcommandOptions.Parse(rest, "--agents")),
        ["soak", .. var rest] => await Soak.RunAsync(SubcommandOptions.Parse(rest, ["--mock-process"], "--minutes", "--rate", "--sample-seconds", "--out")),
        ["mock-cluster", .. var rest] => MockClusterProcess.RunChild(SubcommandOptions.Parse(rest, "--brokers", "--partitions")),
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
