using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.InteropServices;
using AgentStateProcessor.Domain;
using AgentStateProcessor.Processing.Stores;

namespace AgentStateProcessor.Benchmarks;

/// <summary>
/// Splits the measured retained bytes of the stores by what holds them. Every object reachable from the
/// states is counted once (by reference) and sized by the 64-bit CoreCLR layout: records by allocating a
/// shallow copy, strings and arrays by formula. What is left of the measured total is the stores' own
/// tables (slots, hashes and the list of changed slots, which keeps its capacity when cleared). The
/// stores keep no key strings: <c>All</c> makes them, so the states are walked instead.
/// </summary>
internal static class RetainedBytes
{
    private const int ObjectHeaderAndMethodTable = 16;
    private const int MinimumObjectSize = 24;

    public static List<string> Breakdown(StateStore<AgentState> agents, StateStore<DnState> dns, long retained)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var categories = new Dictionary<string, long>(StringComparer.Ordinal);
        void Add(string category, long bytes) => categories[category] = categories.GetValueOrDefault(category) + bytes;
        void String(string category, string? text)
        {
            if (text is not null && seen.Add(text)) Add(category, StringSize(text));
        }
        void Names(string category, ImmutableArray<string> names)
        {
            var array = ImmutableCollectionsMarshal.AsArray(names);
            if (array is null || !seen.Add(array)) return;
            Add(category, ArraySize(array.Length, elementSize: 8));
            foreach (var name in array) String(category, name);
        }

        foreach (var agent in agents.States)
        {
            if (seen.Add(agent)) Add("AgentState records", ShallowSize(agent, a => a with { }));
            String("tenant, agent and DN ids", agent.TenantId);
            String("tenant, agent and DN ids", agent.AgentId);
            String("tenant, agent and DN ids", agent.Dn);
            Names("queue names and arrays", agent.Queues);
            String("reason codes, forward targets, connection ids", agent.ReasonCode);
            String("Source.Topic strings", agent.Source.Topic);
            String("event names", agent.LastEvent);
        }
        foreach (var dn in dns.States)
        {
            if (seen.Add(dn)) Add("DnState records", ShallowSize(dn, d => d with { }));
            String("tenant, agent and DN ids", dn.TenantId);
            String("tenant, agent and DN ids", dn.Dn);
            String("tenant, agent and DN ids", dn.AgentId);
            Names("queue names and arrays", dn.Queues);
            Names("reason codes, forward targets, connection ids", dn.MutedConnections);
            String("reason codes, forward targets, connection ids", dn.ForwardTo);
            String("Source.Topic strings", dn.Source.Topic);
            String("event names", dn.LastEvent);
            var positions = ImmutableCollectionsMarshal.AsArray(dn.InputPositions);
            if (positions is not null && seen.Add(positions)) Add("DnState.InputPositions arrays", ArraySize(positions.Length, elementSize: 16));
        }

        var pairs = (double)Math.Max(agents.Count, dns.Count);
        var lines = categories.OrderByDescending(c => c.Value)
            .Select(c => string.Create(CultureInfo.InvariantCulture, $"  {c.Value / pairs,5:N0} B  {c.Key}"))
            .ToList();
        var rest = retained - categories.Values.Sum();
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"  {rest / pairs,5:N0} B  the rest: the stores' tables (slots, hashes, changed slots)"));
        lines.Insert(0, "where the bytes go, per agent+DN (64-bit object layout; strings shared between states counted once):");
        return lines;
    }

    /// <summary>The exact size of <paramref name="value"/>'s own object, from the allocation of a shallow copy.</summary>
    private static long ShallowSize<T>(T value, Func<T, T> shallowCopy)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        GC.KeepAlive(shallowCopy(value));
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static long StringSize(string text) => Align(ObjectHeaderAndMethodTable + sizeof(int) + 2 * (text.Length + 1));

    private static long ArraySize(int length, int elementSize) => Align(ObjectHeaderAndMethodTable + 8 + (long)length * elementSize);

    private static long Align(long size) => Math.Max(MinimumObjectSize, (size + 7) & ~7L);
}
