using AgentStateProcessor.Domain;

namespace AgentStateProcessor.Processing.Stores;

/// <summary>
/// The state of one task (one input or repartition partition), keyed by state key, remembering
/// which keys changed since the last flush so each is written once per commit.
/// </summary>
/// <remarks>
/// A state holds its own key's parts (<see cref="IKeyedState"/>), so the store need not keep key
/// strings, which would double the bytes of a state's text: it is an open-addressing table of the
/// states themselves, with their hashes and a changed flag in each hash beside them, and a list of
/// the slots flagged since the last flush instead of a second hash table. Two keys are the same when
/// their texts <c>tenant:id</c> are, however they split into tenant and id, as for key strings.
/// <typeparamref name="TState"/> must implement <see cref="IKeyedState"/>.
/// </remarks>
public sealed class StateStore<TState> where TState : class
{
    private const int HashBits = int.MaxValue;
    private const int ChangedFlag = int.MinValue;
    private const int FirstCapacity = 8;

    private TState?[] _slots = [];
    /// <summary>Per slot, the key's hash (<see cref="HashBits"/>) and whether it changed (<see cref="ChangedFlag"/>).</summary>
    private int[] _hashes = [];
    private readonly List<int> _changedSlots = [];
    private int _growAt;
    /// <summary>The slot <see cref="Get(string, string)"/> last found: where the fold's next put most likely goes.</summary>
    private int _lastFound;

    static StateStore()
    {
        if (!typeof(IKeyedState).IsAssignableFrom(typeof(TState)))
        {
            throw new NotSupportedException($"a StateStore holds states that know their key; {typeof(TState).Name} does not implement {nameof(IKeyedState)}");
        }
    }

    public int Count { get; private set; }
    public int ChangedCount => _changedSlots.Count;

    public TState? Get(string tenantId, string id)
    {
        var slot = Find(tenantId, id, HashOf(tenantId, id));
        if (slot < 0) return null;
        _lastFound = slot;
        return _slots[slot];
    }

    public TState? Get(string key)
    {
        var colon = key.IndexOf(':');
        if (colon < 0) return null;
        var tenantId = key.AsSpan(0, colon);
        var id = key.AsSpan(colon + 1);
        return Find(tenantId, id, HashOf(tenantId, id)) is var slot and >= 0 ? _slots[slot] : null;
    }

    /// <summary>Puts a state the fold made: a change, written at the next flush.</summary>
    public void Put(TState state) => Set(state, changed: true);

    /// <summary>As <see cref="Put(TState)"/>; <paramref name="key"/> must be the state's own key.</summary>
    public void Put(string key, TState state) => Set(WithKey(key, state), changed: true);

    /// <summary>Puts state read back from the changelog: it is already there, so it is not a change.</summary>
    public void Restore(TState state) => Set(state, changed: false);

    /// <summary>As <see cref="Restore(TState)"/>; <paramref name="key"/> must be the state's own key.</summary>
    public void Restore(string key, TState state) => Set(WithKey(key, state), changed: false);

    /// <summary>The keys changed since the last call, in ordinal order, with their states; forgets them.</summary>
    public List<KeyValuePair<string, TState>> TakeChanges()
    {
        var changes = new List<KeyValuePair<string, TState>>(_changedSlots.Count);
        foreach (var slot in _changedSlots)
        {
            _hashes[slot] &= HashBits;
            var state = _slots[slot]!;
            changes.Add(new(KeyOf(state), state));
        }
        _changedSlots.Clear();
        changes.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return changes;
    }

    /// <summary>Every state with its key, in no particular order; each key string is made on the way, <see cref="States"/> makes none.</summary>
    public IEnumerable<KeyValuePair<string, TState>> All => States.Select(state => KeyValuePair.Create(KeyOf(state), state));

    public IEnumerable<TState> States
    {
        get
        {
            var slots = _slots;
            foreach (var state in slots)
            {
                if (state is not null) yield return state;
            }
        }
    }

    private static IKeyedState Keyed(TState state) => (IKeyedState)state;

    private static string KeyOf(TState state) => StateKeys.Of(Keyed(state).TenantId, Keyed(state).Id);

    private static TState WithKey(string key, TState state)
    {
        var colon = key.IndexOf(':');
        var keyed = Keyed(state);
        if (colon < 0 || !SameKey(key.AsSpan(0, colon), key.AsSpan(colon + 1), keyed.TenantId, keyed.Id))
        {
            throw new ArgumentException($"key '{key}' is not the key of the state it is put with, '{KeyOf(state)}'", nameof(key));
        }
        return state;
    }

    private void Set(TState state, bool changed)
    {
        var keyed = Keyed(state);
        var slot = _lastFound;
        if (!HeldAt(slot, keyed))
        {
            var hash = HashOf(keyed.TenantId, keyed.Id);
            slot = Find(keyed.TenantId, keyed.Id, hash);
            if (slot < 0)
            {
                if (Count >= _growAt)
                {
                    Grow();
                    slot = Find(keyed.TenantId, keyed.Id, hash);
                }
                slot = ~slot;
                _hashes[slot] = hash;
                Count++;
            }
        }
        _slots[slot] = state;
        if (changed && (_hashes[slot] & ChangedFlag) == 0)
        {
            _hashes[slot] |= ChangedFlag;
            _changedSlots.Add(slot);
        }
    }

    /// <summary>
    /// Whether the slot holds the key by the very strings of <paramref name="keyed"/>: then it is the
    /// key's slot, as keys are unique in the table. The fold puts back a state made from the one it
    /// got, which keeps its key's strings, so its put needs no hash and no probe.
    /// </summary>
    private bool HeldAt(int slot, IKeyedState keyed) =>
        slot < _slots.Length && _slots[slot] is { } held
        && ReferenceEquals(Keyed(held).TenantId, keyed.TenantId) && ReferenceEquals(Keyed(held).Id, keyed.Id);

    /// <summary>The slot holding the key, else the complement of the free slot where it belongs.</summary>
    private int Find(ReadOnlySpan<char> tenantId, ReadOnlySpan<char> id, int hash)
    {
        if (_slots.Length == 0) return ~0;
        var mask = _slots.Length - 1;
        for (var slot = hash & mask; ; slot = (slot + 1) & mask)
        {
            if (_slots[slot] is not { } state) return ~slot;
            if ((_hashes[slot] & HashBits) == hash && SameKey(tenantId, id, Keyed(state).TenantId, Keyed(state).Id)) return slot;
        }
    }

    /// <summary>Doubles the table, which then is at most 80% full: with the hashes kept, probes stay short.</summary>
    private void Grow()
    {
        var (oldSlots, oldHashes) = (_slots, _hashes);
        var capacity = Math.Max(FirstCapacity, oldSlots.Length * 2);
        _slots = new TState?[capacity];
        _hashes = new int[capacity];
        _growAt = capacity / 5 * 4;
        _changedSlots.Clear();
        var mask = capacity - 1;
        for (var i = 0; i < oldSlots.Length; i++)
        {
            if (oldSlots[i] is not { } state) continue;
            var slot = oldHashes[i] & HashBits & mask;
            while (_slots[slot] is not null) slot = (slot + 1) & mask;
            _slots[slot] = state;
            _hashes[slot] = oldHashes[i];
            if ((oldHashes[i] & ChangedFlag) != 0) _changedSlots.Add(slot);
        }
    }

    /// <summary>
    /// Hashes the text of the key <c>tenant:id</c> before its first ':' and after its last, which
    /// are the same whichever way the text is split into tenant and id.
    /// </summary>
    private static int HashOf(ReadOnlySpan<char> tenantId, ReadOnlySpan<char> id)
    {
        var firstColon = tenantId.IndexOf(':');
        var lastColon = id.LastIndexOf(':');
        var head = firstColon < 0 ? tenantId : tenantId[..firstColon];
        var tail = lastColon < 0 ? id : id[(lastColon + 1)..];
        return HashCode.Combine(string.GetHashCode(head), string.GetHashCode(tail)) & HashBits;
    }

    /// <summary>Whether <c>tenant1:id1</c> and <c>tenant2:id2</c> are the same text.</summary>
    private static bool SameKey(ReadOnlySpan<char> tenant1, ReadOnlySpan<char> id1, ReadOnlySpan<char> tenant2, ReadOnlySpan<char> id2)
    {
        if (tenant1.Length == tenant2.Length) return tenant1.SequenceEqual(tenant2) && id1.SequenceEqual(id2);
        if (tenant1.Length + id1.Length != tenant2.Length + id2.Length) return false;
        if (tenant1.Length > tenant2.Length) return SameKey(tenant2, id2, tenant1, id1);
        // tenant2 is the longer: the texts are equal when tenant2 is tenant1:middle and id1 is middle:id2.
        var middle = tenant2[(tenant1.Length + 1)..];
        return tenant2.StartsWith(tenant1) && tenant2[tenant1.Length] == ':'
            && id1.StartsWith(middle) && id1[middle.Length] == ':' && id1[(middle.Length + 1)..].SequenceEqual(id2);
    }
}
