using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace AgentStateProcessor.Processing;

/// <summary>
/// One shared instance per distinct value of the text that repeats across states: tenant ids, queue
/// names, topic names, reason codes, event names, and the sorted queue sets built from them. Every
/// input record and every restored snapshot brings fresh strings, so without this each state would
/// keep its own copies. The values come from the input, so the pool is bounded in entries and in
/// the length of what it takes; once full it hands back what it was given, which is equal, only not
/// shared. Thread-safe: the stream thread, its restorer and any replay may use it at once.
/// </summary>
public sealed class InternPool
{
    /// <summary>
    /// The pool intake, folding and restore share, so that states of every task hold the same
    /// instances. Full, it holds less than 4 MB.
    /// </summary>
    public static InternPool Shared { get; } = new(maxStrings: 8192, maxStringLength: 128, maxArrays: 4096, maxArrayLength: 16);

    private readonly ConcurrentDictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _stringsBySpan;
    private readonly ConcurrentDictionary<ImmutableArray<string>, ImmutableArray<string>> _arrays = new(NamesComparer.Instance);
    private readonly int _maxStrings;
    private readonly int _maxStringLength;
    private readonly int _maxArrays;
    private readonly int _maxArrayLength;
    private int _stringCount;
    private int _arrayCount;

    public InternPool(int maxStrings, int maxStringLength, int maxArrays, int maxArrayLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxStrings);
        ArgumentOutOfRangeException.ThrowIfNegative(maxStringLength);
        ArgumentOutOfRangeException.ThrowIfNegative(maxArrays);
        ArgumentOutOfRangeException.ThrowIfNegative(maxArrayLength);
        _maxStrings = maxStrings;
        _maxStringLength = maxStringLength;
        _maxArrays = maxArrays;
        _maxArrayLength = maxArrayLength;
        _stringsBySpan = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int StringCount => Volatile.Read(ref _stringCount);
    public int ArrayCount => Volatile.Read(ref _arrayCount);

    /// <summary>The pooled instance equal to <paramref name="text"/>, else <paramref name="text"/> itself (pooled if there is room).</summary>
    [return: NotNullIfNotNull(nameof(text))]
    public string? Intern(string? text)
    {
        if (text is null) return null;
        return _strings.TryGetValue(text, out var pooled) ? pooled : Admit(text);
    }

    /// <summary>As <see cref="Intern(string)"/>, without allocating when the text is pooled.</summary>
    public string Intern(ReadOnlySpan<char> text) =>
        _stringsBySpan.TryGetValue(text, out var pooled) ? pooled : Admit(text.ToString());

    /// <summary>
    /// The pooled array equal to <paramref name="names"/>, else <paramref name="names"/> itself (pooled
    /// if there is room). Only arrays whose every name is this pool's instance are pooled, so the
    /// arrays keep no text alive that the string pool does not already hold.
    /// </summary>
    public ImmutableArray<string> Intern(ImmutableArray<string> names)
    {
        if (names.IsDefaultOrEmpty) return names;
        if (_arrays.TryGetValue(names, out var pooled)) return pooled;
        if (names.Length > _maxArrayLength) return names;
        foreach (var name in names)
        {
            if (!_strings.TryGetValue(name, out var pooledName) || !ReferenceEquals(pooledName, name)) return names;
        }
        if (!TryReserve(ref _arrayCount, _maxArrays)) return names;
        var stored = _arrays.GetOrAdd(names, names);
        // Another thread added an equal array first: the place reserved for this one is not used.
        if (stored != names) Interlocked.Decrement(ref _arrayCount);
        return stored;
    }

    private string Admit(string text)
    {
        if (text.Length > _maxStringLength || !TryReserve(ref _stringCount, _maxStrings)) return text;
        var stored = _strings.GetOrAdd(text, text);
        if (!ReferenceEquals(stored, text)) Interlocked.Decrement(ref _stringCount);
        return stored;
    }

    /// <summary>Takes one of <paramref name="limit"/> places, or none when all are taken.</summary>
    private static bool TryReserve(ref int count, int limit)
    {
        if (Volatile.Read(ref count) >= limit) return false;
        if (Interlocked.Increment(ref count) <= limit) return true;
        Interlocked.Decrement(ref count);
        return false;
    }

    /// <summary>Sorted name arrays are equal when they hold equal names in the same order.</summary>
    private sealed class NamesComparer : IEqualityComparer<ImmutableArray<string>>
    {
        public static readonly NamesComparer Instance = new();

        public bool Equals(ImmutableArray<string> x, ImmutableArray<string> y) =>
            x.AsSpan().SequenceEqual(y.AsSpan(), StringComparer.Ordinal);

        public int GetHashCode(ImmutableArray<string> names)
        {
            var hash = new HashCode();
            foreach (var name in names) hash.Add(name, StringComparer.Ordinal);
            return hash.ToHashCode();
        }
    }
}
