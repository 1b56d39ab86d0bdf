namespace AgentStateProcessor.Processing.Stores;

/// <summary>
/// The state of one task (one input or repartition partition), keyed by state key, remembering
/// which keys changed since the last flush so each is written once per commit.
/// </summary>
public sealed class StateStore<TState> where TState : class
{
    private readonly Dictionary<string, TState> _states = new(StringComparer.Ordinal);
    private readonly HashSet<string> _changed = new(StringComparer.Ordinal);

    public int Count => _states.Count;
    public int ChangedCount => _changed.Count;

    public TState? Get(string key) => _states.GetValueOrDefault(key);

    public void Put(string key, TState state)
    {
        _states[key] = state;
        _changed.Add(key);
    }

    /// <summary>Puts state read back from the changelog: it is already there, so it is not a change.</summary>
    public void Restore(string key, TState state) => _states[key] = state;

    /// <summary>The keys changed since the last call, in ordinal order, with their states; forgets them.</summary>
    public List<KeyValuePair<string, TState>> TakeChanges()
    {
        var changes = new List<KeyValuePair<string, TState>>(_changed.Count);
        foreach (var key in _changed) changes.Add(new(key, _states[key]));
        _changed.Clear();
        changes.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return changes;
    }

    public IEnumerable<KeyValuePair<string, TState>> All => _states;
}
