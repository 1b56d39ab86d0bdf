using System.Collections.Immutable;
using AgentStateProcessor.Domain.Events;

namespace AgentStateProcessor.Domain.Tests;

/// <summary>The comparison the property tests rely on must see content, not array identity.</summary>
public class StateEqualityTests
{
    private static readonly InputPosition Position = new(Events.Topic, 0, 1);

    [Fact]
    public void Agents_with_equal_queues_in_different_arrays_are_equal_though_the_records_are_not()
    {
        var a = AgentState.Initial("t1", "a1", 10, Position) with { Queues = ImmutableArray.Create("Q1", "Q2") };
        var b = a with { Queues = ImmutableArray.Create("Q1", "Q2") };

        Assert.NotEqual(a, b);
        Assert.True(StateEquality.Equal(a, b));
    }

    [Fact]
    public void Agents_differing_in_queues_or_in_a_scalar_are_not_equal()
    {
        var a = AgentState.Initial("t1", "a1", 10, Position) with { Queues = ["Q1"] };

        Assert.False(StateEquality.Equal(a, a with { Queues = ["Q2"] }));
        Assert.False(StateEquality.Equal(a, a with { EventCount = 1 }));
        Assert.False(StateEquality.Equal(a, null));
        Assert.True(StateEquality.Equal((AgentState?)null, null));
    }

    [Fact]
    public void Dns_compare_all_three_arrays_by_content()
    {
        var a = DnState.Initial("t1", "1001", 10, Position) with
        {
            Queues = ["Q1"], MutedConnections = ["c1"], InputPositions = [new PartitionOffset(0, 1)],
        };
        var same = a with { Queues = ["Q1"], MutedConnections = ["c1"], InputPositions = [new PartitionOffset(0, 1)] };

        Assert.True(StateEquality.Equal(a, same));
        Assert.False(StateEquality.Equal(a, a with { Queues = [] }));
        Assert.False(StateEquality.Equal(a, a with { MutedConnections = ["c2"] }));
        Assert.False(StateEquality.Equal(a, a with { InputPositions = [new PartitionOffset(0, 2)] }));
        Assert.False(StateEquality.Equal(a, a with { Dnd = true }));
    }
}
