using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.Domain.Fold;

namespace AgentStateProcessor.Domain.Tests;

/// <summary>Replayed input is recognised by its position and changes nothing.</summary>
public class DuplicateTests
{
    [Theory]
    [InlineData(5)]
    [InlineData(4)]
    [InlineData(0)]
    public void An_agent_event_at_or_below_source_on_the_same_partition_is_a_duplicate_returning_the_same_instance(long offset)
    {
        var current = FoldedState.Of(Events.Login(queue: "Q1", at: 10, offset: 5, partition: 1)).Agent();

        var result = AgentFold.Apply(current, Events.Ready(at: 20, offset: offset, partition: 1));

        Assert.Equal(FoldOutcome.Duplicate, result.Outcome);
        Assert.Same(current, result.State);
    }

    [Fact]
    public void An_agent_event_after_source_on_the_same_partition_applies()
    {
        var current = FoldedState.Of(Events.Login(at: 10, offset: 5, partition: 1)).Agent();

        var result = AgentFold.Apply(current, Events.Ready(at: 20, offset: 6, partition: 1));

        Assert.Equal(FoldOutcome.Applied, result.Outcome);
        Assert.Equal(new InputPosition(Events.Topic, 1, 6), result.State!.Source);
    }

    [Fact]
    public void An_agent_event_with_a_lower_offset_on_another_partition_applies()
    {
        var current = FoldedState.Of(Events.Login(at: 10, offset: 5, partition: 1)).Agent();

        var result = AgentFold.Apply(current, Events.Ready(at: 20, offset: 2, partition: 0));

        Assert.Equal(FoldOutcome.Applied, result.Outcome);
        Assert.Equal(AgentStatus.Ready, result.State!.State);
        Assert.Equal(new InputPosition(Events.Topic, 0, 2), result.State.Source);
    }

    [Fact]
    public void An_agent_event_with_a_lower_offset_on_another_topic_applies()
    {
        var current = FoldedState.Of(Events.Login(at: 10, offset: 5)).Agent();
        var elsewhere = Events.Ready(at: 20, offset: 2) with { Position = new InputPosition("other-topic", 0, 2) };

        Assert.Equal(FoldOutcome.Applied, AgentFold.Apply(current, elsewhere).Outcome);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(1)]
    public void A_dn_event_at_or_below_its_partitions_input_position_is_a_duplicate_returning_the_same_instance(long offset)
    {
        var current = FoldedState.Of(Events.Of(EventKind.DndOn, at: 10, offset: 5, partition: 2)).Dn();

        var result = DnFold.Apply(current, Events.Of(EventKind.DndOff, at: 20, offset: offset, partition: 2));

        Assert.Equal(FoldOutcome.Duplicate, result.Outcome);
        Assert.Same(current, result.State);
    }

    [Fact]
    public void A_dn_event_from_another_partition_with_a_lower_offset_applies()
    {
        var current = FoldedState.Of(Events.Of(EventKind.DndOn, at: 10, offset: 5, partition: 2)).Dn();

        var result = DnFold.Apply(current, Events.Of(EventKind.DndOff, at: 20, offset: 1, partition: 0));

        Assert.Equal(FoldOutcome.Applied, result.Outcome);
        Assert.False(result.State!.Dnd);
        Assert.Equal<PartitionOffset>([new PartitionOffset(0, 1), new PartitionOffset(2, 5)], result.State.InputPositions);
    }

    [Fact]
    public void A_dn_event_below_the_latest_source_but_above_its_own_partitions_position_applies()
    {
        var folded = FoldedState.Of(
            Events.Of(EventKind.DndOn, at: 10, offset: 3, partition: 0),
            Events.Of(EventKind.OffHook, at: 11, offset: 50, partition: 1));

        var result = DnFold.Apply(folded.Dn(), Events.Of(EventKind.DndOff, at: 12, offset: 4, partition: 0));

        Assert.Equal(FoldOutcome.Applied, result.Outcome);
        Assert.Equal<PartitionOffset>([new PartitionOffset(0, 4), new PartitionOffset(1, 50)], result.State!.InputPositions);
    }

    [Fact]
    public void InputPositions_stay_sorted_by_partition_whatever_order_partitions_are_first_heard_from()
    {
        var dn = FoldedState.Of(
            Events.Of(EventKind.OffHook, at: 10, offset: 10, partition: 3),
            Events.Of(EventKind.OnHook, at: 11, offset: 20, partition: 1),
            Events.Of(EventKind.OffHook, at: 12, offset: 30, partition: 5),
            Events.Of(EventKind.OnHook, at: 13, offset: 40, partition: 0),
            Events.Of(EventKind.OffHook, at: 14, offset: 21, partition: 1)).Dn();

        Assert.Equal<PartitionOffset>(
            [new PartitionOffset(0, 40), new PartitionOffset(1, 21), new PartitionOffset(3, 10), new PartitionOffset(5, 30)],
            dn.InputPositions);
    }

    [Fact]
    public void Replaying_a_login_and_logout_changes_neither_the_agent_nor_the_dn()
    {
        var input = new[]
        {
            Events.Login(queue: "Q1", at: 10, offset: 1),
            Events.Ready(at: 11, offset: 2),
            Events.Logout(at: 12, offset: 3),
        };
        var folded = FoldedState.Of(input);
        var agent = folded.Agent();
        var dn = folded.Dn();

        var outcomes = input.Select(folded.Apply).ToList();

        Assert.All(outcomes, step =>
        {
            Assert.Equal(FoldOutcome.Duplicate, step.AgentOutcome);
            Assert.Equal(FoldOutcome.Duplicate, step.DnOutcome);
        });
        Assert.Same(agent, folded.Agent());
        Assert.Same(dn, folded.Dn());
    }

    [Fact]
    public void A_replayed_logout_of_another_agent_does_not_count_twice_on_the_dn()
    {
        var logoutOfA2 = Events.Logout(agent: "a2", at: 20, offset: 9, partition: 1);
        var folded = FoldedState.Of(Events.Login(agent: "a1", queue: "Q1", at: 10, offset: 1), logoutOfA2);

        Assert.Equal(FoldOutcome.Duplicate, folded.Apply(logoutOfA2).DnOutcome);
        Assert.Equal(2, folded.Dn().EventCount);
    }
}
