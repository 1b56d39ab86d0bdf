using System.Collections.Immutable;

namespace AgentStateProcessor.Domain.Tests;

/// <summary>
/// Structural equality of states. Records compare <see cref="ImmutableArray{T}"/> members by the
/// array they wrap, so two states with the same queues in different arrays are "unequal";
/// here arrays compare by content and every other member by the record's own equality.
/// </summary>
internal static class StateEquality
{
    // The shared empty instances, so the blanked members compare equal by reference.
    private static readonly ImmutableArray<string> NoNames = ImmutableArray<string>.Empty;
    private static readonly ImmutableArray<PartitionOffset> NoPositions = ImmutableArray<PartitionOffset>.Empty;

    public static bool Equal(AgentState? a, AgentState? b) =>
        a is null || b is null
            ? a is null && b is null
            : a.Queues.SequenceEqual(b.Queues, StringComparer.Ordinal)
              && a with { Queues = NoNames } == b with { Queues = NoNames };

    public static bool Equal(DnState? a, DnState? b) =>
        a is null || b is null
            ? a is null && b is null
            : a.Queues.SequenceEqual(b.Queues, StringComparer.Ordinal)
              && a.MutedConnections.SequenceEqual(b.MutedConnections, StringComparer.Ordinal)
              && a.InputPositions.SequenceEqual(b.InputPositions)
              && a with { Queues = NoNames, MutedConnections = NoNames, InputPositions = NoPositions }
                 == b with { Queues = NoNames, MutedConnections = NoNames, InputPositions = NoPositions };

    /// <summary>The keys whose states differ between two stores, for assertion messages.</summary>
    public static IReadOnlyList<string> Differences(FoldedState expected, FoldedState actual)
    {
        var agents = expected.Agents.Keys.Union(actual.Agents.Keys)
            .Where(key => !Equal(expected.Agents.GetValueOrDefault(key), actual.Agents.GetValueOrDefault(key)))
            .Select(key => $"agent {key}: {Describe(expected.Agents.GetValueOrDefault(key))} vs {Describe(actual.Agents.GetValueOrDefault(key))}");
        var dns = expected.Dns.Keys.Union(actual.Dns.Keys)
            .Where(key => !Equal(expected.Dns.GetValueOrDefault(key), actual.Dns.GetValueOrDefault(key)))
            .Select(key => $"dn {key}: {Describe(expected.Dns.GetValueOrDefault(key))} vs {Describe(actual.Dns.GetValueOrDefault(key))}");
        return [.. agents, .. dns];
    }

    public static string Describe(AgentState? s) => s is null ? "(none)"
        : $"{s with { Queues = [] }} Queues=[{string.Join(',', s.Queues)}]";

    public static string Describe(DnState? s) => s is null ? "(none)"
        : $"{s with { Queues = [], MutedConnections = [], InputPositions = [] }} Queues=[{string.Join(',', s.Queues)}] "
          + $"Muted=[{string.Join(',', s.MutedConnections)}] Inputs=[{string.Join(',', s.InputPositions)}]";
}
