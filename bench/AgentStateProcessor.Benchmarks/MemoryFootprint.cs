using System.Globalization;
using System.Runtime;
using AgentStateProcessor.Domain;
using AgentStateProcessor.Processing;
using AgentStateProcessor.Processing.Intake;
using AgentStateProcessor.Processing.Stores;

namespace AgentStateProcessor.Benchmarks;

/// <summary>
/// Bytes the managed heap keeps per tracked agent and its DN: the state of a steady-state contact
/// center built through intake and the fold into an agent store and a DN store (LocalProcessor's pair),
/// measured as the heap after a full compacting collection minus the heap before. The agent-only and
/// DN-only runs split the figure between the two. The shared pool of repeating text
/// (<see cref="InternPool.Shared"/>) is filled by the warm-up run, before the first baseline: it holds
/// a few hundred values whatever the number of agents, so it is reported, not counted per agent.
/// </summary>
internal static class MemoryFootprint
{
    private const double TargetBytesPerAgentAndDn = 600;

    public static int Run(SubcommandOptions options)
    {
        var population = new SteadyStatePopulation(options.PositiveInt("--agents", 100_000));
        var intake = SimulatedWorkload.NewIntake();
        // JIT, schema plans and static caches are allocated here, before the first baseline.
        Measure(new SteadyStatePopulation(1000, seed: 1), intake, foldAgents: true, foldDns: true);

        List<string> breakdown = [];
        var both = Measure(population, intake, foldAgents: true, foldDns: true, (agents, dns, retained) => breakdown = RetainedBytes.Breakdown(agents, dns, retained));
        var agentsOnly = Measure(population, intake, foldAgents: true, foldDns: false);
        var dnsOnly = Measure(population, intake, foldAgents: false, foldDns: true);

        var n = population.AgentCount;
        Console.WriteLine(Invariant($"memory: {n:N0} agents and {n:N0} DNs tracked; {both.Events:N0} events folded; agents by state: {both.AgentsByState}"));
        Console.WriteLine(Invariant($"memory: GC.GetTotalMemory(true) {both.TotalBefore:N0} B before, {both.TotalAfter:N0} B after: {both.TotalDelta / (double)n:N0} B per agent+DN"));
        Console.WriteLine(Invariant($"memory: GC heap size (GC.GetGCMemoryInfo) {both.HeapBefore:N0} B before, {both.HeapAfter:N0} B after: {both.HeapDelta / (double)n:N0} B per agent+DN"));
        foreach (var line in breakdown) Console.WriteLine($"memory: {line}");
        Console.WriteLine(Invariant($"memory: shared pool (not per agent): {InternPool.Shared.StringCount:N0} strings, {InternPool.Shared.ArrayCount:N0} queue sets"));
        Console.WriteLine(Invariant($"memory: agent store alone {agentsOnly.TotalDelta / (double)n:N0} B per agent, DN store alone {dnsOnly.TotalDelta / (double)n:N0} B per DN"));
        var perPair = both.TotalDelta / (double)n;
        Console.WriteLine(Invariant($"memory: target <= {TargetBytesPerAgentAndDn:N0} B per agent+DN: {(perPair <= TargetBytesPerAgentAndDn ? "met" : "NOT met")} ({perPair:N0} B)"));
        return 0;
    }

    private sealed record Footprint(long Events, long TotalBefore, long TotalAfter, long HeapBefore, long HeapAfter, string AgentsByState)
    {
        public long TotalDelta => TotalAfter - TotalBefore;
        public long HeapDelta => HeapAfter - HeapBefore;
    }

    private static Footprint Measure(SteadyStatePopulation population, EventIntake intake, bool foldAgents, bool foldDns,
        Action<StateStore<AgentState>, StateStore<DnState>, long>? inspect = null)
    {
        var agents = new StateStore<AgentState>();
        var dns = new StateStore<DnState>();
        var (totalBefore, heapBefore) = CollectFully();

        long events = 0;
        foreach (var record in population.Records())
        {
            var e = intake.Read(record).Event ?? throw new InvalidOperationException($"population record at {record.Position} is not a valid event");
            if (foldAgents) agents.Fold(e);
            if (foldDns) dns.Fold(e);
            events++;
        }
        // As after a commit: the stores no longer remember which keys changed.
        agents.TakeChanges();
        dns.TakeChanges();

        var (totalAfter, heapAfter) = CollectFully();
        if ((foldAgents && agents.Count != population.AgentCount) || (foldDns && dns.Count != population.AgentCount))
        {
            throw new InvalidOperationException($"expected {population.AgentCount} states per store, got {agents.Count} agents and {dns.Count} DNs");
        }
        inspect?.Invoke(agents, dns, totalAfter - totalBefore);
        var byState = string.Join(", ", agents.States.GroupBy(a => a.State).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"));
        GC.KeepAlive(agents);
        GC.KeepAlive(dns);
        return new Footprint(events, totalBefore, totalAfter, heapBefore, heapAfter, byState);
    }

    /// <summary>A full, blocking, compacting collection (large objects included), then what is left.</summary>
    private static (long TotalMemory, long HeapSize) CollectFully()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var total = GC.GetTotalMemory(forceFullCollection: true);
        return (total, GC.GetGCMemoryInfo().HeapSizeBytes);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
