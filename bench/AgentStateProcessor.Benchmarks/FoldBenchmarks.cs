using AgentStateProcessor.Domain;
using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.Domain.Fold;
using AgentStateProcessor.Processing.Stores;
using BenchmarkDotNet.Attributes;

namespace AgentStateProcessor.Benchmarks;

/// <summary>
/// The fold of already-validated events into state stores, as LocalProcessor does after intake:
/// every event into the agent store and into the DN store. One operation is one event.
/// </summary>
/// <remarks>
/// The fold skips events a state already reflects (by input position), so replaying the same events
/// into the same stores would measure the duplicate check only. Each invocation therefore folds
/// the whole sequence into fresh stores; with 1,000 agents and 50,000 events, creating states is
/// about 2% of the folds, roughly what a task sees after its first seconds.
/// </remarks>
public class FoldBenchmarks
{
    private const int EventCount = 50_000;
    private const int AgentCount = 1000;

    private VoiceEvent[] _events = [];

    [GlobalSetup]
    public void Setup()
    {
        var records = SimulatedWorkload.ValidRecords(EventCount, AgentCount);
        _events = SimulatedWorkload.ToEvents(SimulatedWorkload.NewIntake(), SimulatedWorkload.ToInputRecords(records));
        if (AgentAndDnStores() < EventCount)
        {
            throw new InvalidOperationException("the fold workload applies fewer events than it holds");
        }
    }

    /// <summary>What LocalProcessor.Process does after intake.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = EventCount)]
    public int AgentAndDnStores()
    {
        var agents = new StateStore<AgentState>();
        var dns = new StateStore<DnState>();
        var applied = 0;
        foreach (var e in _events)
        {
            var agent = agents.Fold(e);
            var dn = dns.Fold(e);
            if (agent == FoldOutcome.Applied || dn == FoldOutcome.Applied) applied++;
        }
        return applied;
    }

    /// <summary>The agent half alone (the input side of the Kafka pipeline), to show where the time goes.</summary>
    [Benchmark(OperationsPerInvoke = EventCount)]
    public int AgentStoreOnly()
    {
        var agents = new StateStore<AgentState>();
        var applied = 0;
        foreach (var e in _events)
        {
            if (agents.Fold(e) == FoldOutcome.Applied) applied++;
        }
        return applied;
    }

    /// <summary>The DN half alone (the repartition side of the Kafka pipeline).</summary>
    [Benchmark(OperationsPerInvoke = EventCount)]
    public int DnStoreOnly()
    {
        var dns = new StateStore<DnState>();
        var applied = 0;
        foreach (var e in _events)
        {
            if (dns.Fold(e) == FoldOutcome.Applied) applied++;
        }
        return applied;
    }
}
