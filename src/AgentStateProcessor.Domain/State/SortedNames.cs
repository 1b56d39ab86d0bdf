using System.Collections.Immutable;

namespace AgentStateProcessor.Domain;

/// <summary>
/// Sets of names (queues, connection ids) kept as ordinally sorted, duplicate-free arrays, so that
/// snapshots are byte-identical whatever order the events added them in.
/// </summary>
public static class SortedNames
{
    public static ImmutableArray<string> With(ImmutableArray<string> names, string? name)
    {
        if (name is null) return names;
        var index = names.BinarySearch(name, StringComparer.Ordinal);
        return index >= 0 ? names : names.Insert(~index, name);
    }

    public static ImmutableArray<string> Without(ImmutableArray<string> names, string? name)
    {
        if (name is null) return names;
        var index = names.BinarySearch(name, StringComparer.Ordinal);
        return index < 0 ? names : names.RemoveAt(index);
    }
}
