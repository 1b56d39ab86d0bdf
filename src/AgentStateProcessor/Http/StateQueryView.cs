using System.Collections.Concurrent;
using AgentStateProcessor.Domain;
using AgentStateProcessor.Kafka;

namespace AgentStateProcessor.Http;

/// <summary>Where a key's state is, seen from this instance.</summary>
internal enum KeyPlace { Found, Unknown, OwnedElsewhere, NotStarted }

/// <summary>
/// The committed state of this instance's partitions, for queries from other threads. The stream
/// thread fills a partition when it has restored it, updates it after each commit with the states
/// that commit wrote, and drops it when the partition is revoked or lost; readers never see state
/// that is not committed, and never touch the stream thread's stores.
/// </summary>
internal sealed class StateQueryView
{
    private readonly ConcurrentDictionary<int, ConcurrentDictionary<string, AgentState>> _agents = new();
    private readonly ConcurrentDictionary<int, ConcurrentDictionary<string, DnState>> _dns = new();
    private volatile TopicLayout? _layout;

    public void Started(TopicLayout layout) => _layout = layout;

    public void Fill(int agentPartition, IEnumerable<KeyValuePair<string, AgentState>> states) =>
        _agents[agentPartition] = new ConcurrentDictionary<string, AgentState>(states, StringComparer.Ordinal);

    public void Fill(int dnPartition, IEnumerable<KeyValuePair<string, DnState>> states) =>
        _dns[dnPartition] = new ConcurrentDictionary<string, DnState>(states, StringComparer.Ordinal);

    public void Put(int agentPartition, string key, AgentState state)
    {
        if (_agents.TryGetValue(agentPartition, out var partition)) partition[key] = state;
    }

    public void Put(int dnPartition, string key, DnState state)
    {
        if (_dns.TryGetValue(dnPartition, out var partition)) partition[key] = state;
    }

    public void DropAgents(int partition) => _agents.TryRemove(partition, out _);

    public void DropDns(int partition) => _dns.TryRemove(partition, out _);

    /// <summary>The agent partition a key belongs to: the input partition the default partitioner picks for it.</summary>
    public int? AgentPartitionOf(string key) => _layout is { } layout ? KeyPartitioner.PartitionOf(key, layout.InputPartitions) : null;

    /// <summary>The DN partition a key belongs to: the DN snapshot (and repartition) partition the stream thread sends it to.</summary>
    public int? DnPartitionOf(string key) => _layout is { } layout ? KeyPartitioner.PartitionOf(key, layout.DnPartitions) : null;

    public (KeyPlace Place, int? Partition, AgentState? State) FindAgent(string key) => Find(_agents, AgentPartitionOf(key), key);

    public (KeyPlace Place, int? Partition, DnState? State) FindDn(string key) => Find(_dns, DnPartitionOf(key), key);

    /// <summary>Every agent of this instance's partitions (a moment's copy of each partition).</summary>
    public IEnumerable<AgentState> Agents() => _agents.Values.SelectMany(p => p.Values);

    public IReadOnlyCollection<int> AgentPartitions => [.. _agents.Keys.Order()];

    private static (KeyPlace, int?, TState?) Find<TState>(ConcurrentDictionary<int, ConcurrentDictionary<string, TState>> view, int? partition, string key)
        where TState : class
    {
        if (partition is not { } number) return (KeyPlace.NotStarted, null, null);
        if (!view.TryGetValue(number, out var states)) return (KeyPlace.OwnedElsewhere, number, null);
        return states.TryGetValue(key, out var state) ? (KeyPlace.Found, number, state) : (KeyPlace.Unknown, number, null);
    }
}
