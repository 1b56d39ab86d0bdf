using AgentStateProcessor.Domain;
using AgentStateProcessor.Health;
using AgentStateProcessor.Http;
using AgentStateProcessor.Kafka;
using AgentStateProcessor.Metrics;
using Confluent.Kafka;

namespace AgentStateProcessor.Hosting;

/// <summary>
/// What the stream thread tells the rest of the process: the probes' state, the instruments, and
/// the query view. Every method but <see cref="Fatal"/> and the registry's is called on the stream thread only.
/// </summary>
internal sealed class StreamThreadListener(ProcessorHealth health, ProcessorInstruments instruments, StateQueryView view, TimeProvider time)
{
    private readonly List<(int Partition, string Key, AgentState State)> _writtenAgents = [];
    private readonly List<(int Partition, string Key, DnState State)> _writtenDns = [];
    private long _assignmentStarted;

    public ProcessorHealth Health => health;

    /// <summary>The producer is initialised (transactions, under exactly-once) and the topology is known.</summary>
    public void Started(TopicLayout layout)
    {
        view.Started(layout);
        health.ProducerInitialised();
        health.Turned();
    }

    public void Turned() => health.Turned();

    public void Fatal(string reason) => health.Fatal(reason);

    /// <summary>Work waits for the schema registry (at start-up, or with every task closed on the stream thread).</summary>
    public void RegistryUnavailable(string reason) => health.RegistryUnavailable(reason);

    public void RegistryAvailable() => health.RegistryAvailable();

    public void Statistics(string json) => instruments.Statistics(json);

    public void DeadLettered(string code) => instruments.DeadLettered(code);

    /// <summary>Freshness of snapshots a commit made visible, in milliseconds (see docs/pipeline.md).</summary>
    public void SnapshotsVisible(IReadOnlyList<long> freshnessMs)
    {
        foreach (var millis in freshnessMs) instruments.Fresh(millis / 1000.0);
    }

    public void SnapshotWritten<TState>(int partition, string key, TState state) where TState : class
    {
        switch (state)
        {
            case AgentState agent: _writtenAgents.Add((partition, key, agent)); break;
            case DnState dn: _writtenDns.Add((partition, key, dn)); break;
        }
    }

    /// <summary>The snapshots written since the last commit are visible now: queries and freshness see them.</summary>
    public void Committed(TimeSpan duration, bool transaction)
    {
        instruments.Committed(duration, transaction);
        foreach (var (partition, key, state) in _writtenAgents) view.Put(partition, key, state);
        foreach (var (partition, key, state) in _writtenDns) view.Put(partition, key, state);
        ClearUncommitted();
    }

    /// <summary>The open transaction was aborted: nothing written since the last commit became visible.</summary>
    public void Aborted()
    {
        instruments.Aborted();
        ClearUncommitted();
    }

    public void Assigning()
    {
        _assignmentStarted = time.GetTimestamp();
        instruments.Rebalanced();
        health.Restoring();
        health.Turned();
    }

    /// <summary>Restore progress: a long restore keeps the loop counted as turning.</summary>
    public void RestoreRemaining(long records)
    {
        instruments.RestoreRemaining(records);
        health.Turned();
    }

    public void Assigned(IReadOnlyCollection<TopicPartition> partitions,
        IEnumerable<StreamTask<AgentState>> agentTasks, IEnumerable<StreamTask<DnState>> dnTasks)
    {
        foreach (var task in agentTasks) view.Fill(task.Source.Partition.Value, task.Store.All);
        foreach (var task in dnTasks) view.Fill(task.Source.Partition.Value, task.Store.All);
        instruments.Restored(time.GetElapsedTime(_assignmentStarted));
        health.Assigned(partitions);
        health.Turned();
    }

    public void Revoked(IEnumerable<TopicPartition> partitions, string inputTopic)
    {
        var list = partitions.ToList();
        foreach (var partition in list)
        {
            if (partition.Topic == inputTopic) view.DropAgents(partition.Partition.Value);
            else view.DropDns(partition.Partition.Value);
        }
        health.Revoked(list);
    }

    private void ClearUncommitted()
    {
        _writtenAgents.Clear();
        _writtenDns.Clear();
    }
}
