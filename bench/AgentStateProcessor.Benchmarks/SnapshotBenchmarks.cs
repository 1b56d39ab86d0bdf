using AgentStateProcessor.Domain;
using AgentStateProcessor.Processing.Snapshots;
using AgentStateProcessor.Processing.Stores;
using BenchmarkDotNet.Attributes;

namespace AgentStateProcessor.Benchmarks;

/// <summary>
/// State to snapshot value bytes in single-object encoding, as a commit without a schema registry writes them:
/// 1,000 agent or DN states of the simulated workload. One operation is one snapshot.
/// </summary>
public class SnapshotBenchmarks
{
    private AgentState[] _agents = [];
    private DnState[] _dns = [];

    [GlobalSetup]
    public void Setup()
    {
        var events = SimulatedWorkload.ToEvents(SimulatedWorkload.NewIntake(),
            SimulatedWorkload.ToInputRecords(SimulatedWorkload.ValidRecords(50_000, 1000)));
        var agents = new StateStore<AgentState>();
        var dns = new StateStore<DnState>();
        foreach (var e in events)
        {
            agents.Fold(e);
            dns.Fold(e);
        }
        _agents = agents.States.Take(1000).ToArray();
        _dns = dns.States.Take(1000).ToArray();
        if (_agents.Length < 1000 || _dns.Length < 1000) throw new InvalidOperationException("too few states");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = 1000)]
    public int EncodeAgent()
    {
        var bytes = 0;
        foreach (var s in _agents) bytes += SnapshotCodec.Encode(SnapshotMapper.ToRecord(s)).Length;
        return bytes;
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public int EncodeDn()
    {
        var bytes = 0;
        foreach (var s in _dns) bytes += SnapshotCodec.Encode(SnapshotMapper.ToRecord(s)).Length;
        return bytes;
    }
}
