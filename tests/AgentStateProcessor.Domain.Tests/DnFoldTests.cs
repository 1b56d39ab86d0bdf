using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.Domain.Fold;

namespace AgentStateProcessor.Domain.Tests;

/// <summary>The DN rules of docs/fold-rules.md, one scenario each.</summary>
public class DnFoldTests
{
    [Fact]
    public void A_dn_first_heard_of_is_in_service_not_on_dnd_not_forwarded_on_hook_and_without_message_waiting()
    {
        var dn = FoldedState.Of(Events.Of(EventKind.AgentReserved, agent: "a1", at: 10)).Dn();

        Assert.True(dn.InService);
        Assert.False(dn.Dnd);
        Assert.Null(dn.ForwardTo);
        Assert.False(dn.OffHook);
        Assert.Empty(dn.MutedConnections);
        Assert.False(dn.MessageWaiting);
        Assert.Equal("t1:1001", dn.Key);
        Assert.Equal(Events.Time(10), dn.UpdatedAt);
    }

    [Fact]
    public void Dnd_on_then_off()
    {
        var folded = new FoldedState();
        folded.Apply(Events.Of(EventKind.DndOn, at: 10, offset: 1));
        Assert.True(folded.Dn().Dnd);

        folded.Apply(Events.Of(EventKind.DndOff, at: 20, offset: 2));
        Assert.False(folded.Dn().Dnd);
        Assert.Equal("EventDNDOff", folded.Dn().LastEvent);
        Assert.Equal(2, folded.Dn().EventCount);
    }

    [Fact]
    public void Forward_set_records_the_other_dn_and_cancel_clears_it()
    {
        var folded = new FoldedState();
        folded.Apply(Events.Forward("2002", at: 10, offset: 1));
        Assert.Equal("2002", folded.Dn().ForwardTo);

        folded.Apply(Events.Of(EventKind.ForwardCancel, at: 20, offset: 2));
        Assert.Null(folded.Dn().ForwardTo);
    }

    [Fact]
    public void Muting_two_connections_and_unmuting_one_leaves_the_other_muted()
    {
        var folded = FoldedState.Of(
            Events.MuteOn("conn-b", at: 10, offset: 1),
            Events.MuteOn("conn-a", at: 11, offset: 2),
            Events.MuteOn("conn-c", at: 12, offset: 3),
            Events.MuteOff("conn-b", at: 13, offset: 4));

        Assert.Equal<string>(["conn-a", "conn-c"], folded.Dn().MutedConnections);
    }

    [Fact]
    public void Muted_connections_are_ordinally_sorted_and_a_repeated_mute_is_kept_once()
    {
        var dn = FoldedState.Of(
            Events.MuteOn("c", at: 10, offset: 1),
            Events.MuteOn("B", at: 11, offset: 2),
            Events.MuteOn("a", at: 12, offset: 3),
            Events.MuteOn("B", at: 13, offset: 4)).Dn();

        Assert.Equal<string>(["B", "a", "c"], dn.MutedConnections);
    }

    [Fact]
    public void Unmuting_a_connection_that_is_not_muted_changes_only_the_bookkeeping()
    {
        var dn = FoldedState.Of(
            Events.MuteOn("c1", at: 10, offset: 1),
            Events.MuteOff("c9", at: 11, offset: 2)).Dn();

        Assert.Equal<string>(["c1"], dn.MutedConnections);
        Assert.Equal(2, dn.EventCount);
    }

    [Fact]
    public void Off_hook_then_on_hook()
    {
        var folded = new FoldedState();
        folded.Apply(Events.Of(EventKind.OffHook, at: 10, offset: 1));
        Assert.True(folded.Dn().OffHook);

        folded.Apply(Events.Of(EventKind.OnHook, at: 20, offset: 2));
        Assert.False(folded.Dn().OffHook);
    }

    [Fact]
    public void Out_of_service_and_back_changes_only_inService()
    {
        var before = FoldedState.Of(
            Events.Login(queue: "Q1", at: 10, offset: 1),
            Events.Of(EventKind.DndOn, at: 11, offset: 2),
            Events.Forward("2002", at: 12, offset: 3),
            Events.Of(EventKind.OffHook, at: 13, offset: 4),
            Events.MuteOn("c1", at: 14, offset: 5)).Dn();

        var outOfService = DnFold.Apply(before, Events.Of(EventKind.DnOutOfService, at: 20, offset: 6)).State!;
        var back = DnFold.Apply(outOfService, Events.Of(EventKind.DnBackInService, at: 30, offset: 7)).State!;

        Assert.False(outOfService.InService);
        Assert.True(back.InService);
        Assert.True(StateEquality.Equal(before with { InService = false }, Bookkeeping(outOfService, before)));
        Assert.True(StateEquality.Equal(before, Bookkeeping(back, before)));
    }

    [Fact]
    public void A_queue_logout_removes_the_queue_from_the_dn_and_the_last_one_frees_the_dn()
    {
        var folded = FoldedState.Of(
            Events.Login(queue: "Q1", at: 10, offset: 1),
            Events.Login(queue: "Q2", at: 11, offset: 2),
            Events.QueueLogout(queue: "Q1", at: 20, offset: 3));
        var oneLeft = folded.Dn();
        folded.Apply(Events.QueueLogout(queue: "Q2", at: 30, offset: 4));

        Assert.Equal(("a1", "Q2"), (oneLeft.AgentId, Assert.Single(oneLeft.Queues)));
        Assert.Equal((null, 0), (folded.Dn().AgentId, folded.Dn().Queues.Length));
    }

    [Fact]
    public void A_queue_logout_of_another_agent_leaves_the_dn_alone()
    {
        var folded = FoldedState.Of(
            Events.Login(agent: "a1", queue: "Q1", at: 10, offset: 1),
            Events.QueueLogout(agent: "a2", queue: "Q1", at: 20, offset: 2));

        Assert.Equal(("a1", "Q1"), (folded.Dn().AgentId, Assert.Single(folded.Dn().Queues)));
    }

    [Fact]
    public void Message_waiting_on_and_off_set_and_clear_the_flag_of_a_dn_that_starts_without_one()
    {
        var folded = FoldedState.Of(Events.Of(EventKind.OffHook, at: 10, offset: 1));
        Assert.False(folded.Dn().MessageWaiting);

        folded.Apply(Events.Of(EventKind.MessageWaitingOn, at: 20, offset: 2));
        Assert.True(folded.Dn().MessageWaiting);
        Assert.True(folded.Dn().OffHook);

        folded.Apply(Events.Of(EventKind.MessageWaitingOff, at: 30, offset: 3));
        Assert.False(folded.Dn().MessageWaiting);
        Assert.Equal("EventMessageWaitingOff", folded.Dn().LastEvent);
    }

    [Fact]
    public void Message_waiting_events_change_no_agent()
    {
        var folded = FoldedState.Of(
            Events.Login(queue: "Q1", at: 10, offset: 1),
            Events.Of(EventKind.MessageWaitingOn, agent: "a1", at: 20, offset: 2));

        Assert.Equal(1, folded.Agent().EventCount);
        Assert.True(folded.Dn().MessageWaiting);
    }

    [Fact]
    public void Login_sets_the_dns_agent_and_its_queues()
    {
        var dn = FoldedState.Of(
            Events.Login(queue: "Q2", at: 10, offset: 1),
            Events.Login(queue: "Q1", at: 11, offset: 2)).Dn();

        Assert.Equal("a1", dn.AgentId);
        Assert.Equal<string>(["Q1", "Q2"], dn.Queues);
    }

    [Theory]
    [InlineData(EventKind.AgentReady)]
    [InlineData(EventKind.AgentNotReady)]
    [InlineData(EventKind.AgentReserved)]
    public void Readiness_and_reservation_events_set_the_dns_agent(EventKind kind)
    {
        var dn = FoldedState.Of(
            Events.Login(agent: "a1", queue: "Q1", at: 10, offset: 1),
            Events.Of(kind, agent: "a2", at: 20, offset: 2)).Dn();

        Assert.Equal("a2", dn.AgentId);
        Assert.Equal<string>(["Q1"], dn.Queues);
    }

    [Fact]
    public void Logout_of_the_dns_agent_frees_the_dn_and_empties_its_queues()
    {
        var dn = FoldedState.Of(
            Events.Login(queue: "Q1", at: 10, offset: 1),
            Events.Login(queue: "Q2", at: 11, offset: 2),
            Events.Logout(at: 20, offset: 3)).Dn();

        Assert.Null(dn.AgentId);
        Assert.Empty(dn.Queues);
        Assert.Equal("EventAgentLogout", dn.LastEvent);
    }

    [Fact]
    public void Logout_naming_no_agent_frees_the_dn()
    {
        var dn = FoldedState.Of(
            Events.Login(queue: "Q1", at: 10, offset: 1),
            Events.Logout(agent: null, at: 20, offset: 2)).Dn();

        Assert.Null(dn.AgentId);
        Assert.Empty(dn.Queues);
    }

    [Fact]
    public void Logout_of_a_different_agent_leaves_the_dns_agent_and_queues_alone()
    {
        var dn = FoldedState.Of(
            Events.Login(agent: "a1", queue: "Q1", at: 10, offset: 1),
            Events.Logout(agent: "a2", at: 20, offset: 1, partition: 1)).Dn();

        Assert.Equal("a1", dn.AgentId);
        Assert.Equal<string>(["Q1"], dn.Queues);
        Assert.Equal(2, dn.EventCount);
        Assert.Equal("EventAgentLogout", dn.LastEvent);
    }

    /// <summary>fold-rules.md: a logout frees the DN "when the logging-out agent is the DN's agent (or the DN has none ...)".</summary>
    [Fact]
    public void Logout_on_a_dn_that_has_no_agent_empties_its_queues()
    {
        var dn = FoldedState.Of(
            Events.Login(agent: null, queue: "Q1", at: 10, offset: 1),
            Events.Logout(agent: "a1", at: 20, offset: 2)).Dn();

        Assert.Null(dn.AgentId);
        Assert.Empty(dn.Queues);
    }

    [Fact]
    public void Login_without_an_agent_id_keeps_the_dns_agent_and_adds_the_queue()
    {
        var dn = FoldedState.Of(
            Events.Login(agent: "a1", queue: "Q1", at: 10, offset: 1),
            Events.Login(agent: null, queue: "Q2", at: 20, offset: 2)).Dn();

        Assert.Equal("a1", dn.AgentId);
        Assert.Equal<string>(["Q1", "Q2"], dn.Queues);
    }

    [Fact]
    public void An_event_with_no_state_rule_is_not_applicable_to_the_dn_fold()
    {
        var current = FoldedState.Of(Events.Of(EventKind.DndOn, at: 10, offset: 1)).Dn();

        var result = DnFold.Apply(current, Events.Of(EventKind.NoStateRule, agent: "a1", at: 20, offset: 2));

        Assert.Equal(FoldOutcome.NotApplicable, result.Outcome);
        Assert.Same(current, result.State);
    }

    [Theory]
    [MemberData(nameof(KindsWithADnRule))]
    public void An_event_without_ThisDN_is_not_applicable_to_the_dn_fold(EventKind kind)
    {
        var result = DnFold.Apply(null, Events.Of(kind, agent: "a1", dn: null, at: 10));

        Assert.Equal(FoldOutcome.NotApplicable, result.Outcome);
        Assert.Null(result.State);
    }

    public static TheoryData<EventKind> KindsWithADnRule() =>
        [.. Enum.GetValues<EventKind>().Where(kind => kind != EventKind.NoStateRule)];

    [Fact]
    public void An_agent_event_without_ThisDN_still_applies_to_the_agent()
    {
        var folded = FoldedState.Of(Events.Login(dn: null, queue: "Q1", at: 10));

        Assert.Empty(folded.Dns);
        Assert.Equal<string>(["Q1"], folded.Agent().Queues);
        Assert.Null(folded.Agent().Dn);
    }

    [Fact]
    public void Out_of_order_event_times_never_move_updatedAt_backwards()
    {
        var folded = new FoldedState();
        folded.Apply(Events.Of(EventKind.OffHook, at: 100, offset: 1));
        folded.Apply(Events.Of(EventKind.OnHook, at: 40, offset: 2));

        Assert.Equal(Events.Time(100), folded.Dn().UpdatedAt);
        Assert.False(folded.Dn().OffHook);
    }

    [Fact]
    public void Each_applied_event_records_its_position_as_source_and_in_inputPositions()
    {
        var dn = FoldedState.Of(
            Events.Login(agent: "a1", at: 10, offset: 7, partition: 2),
            Events.Ready(agent: "a2", at: 11, offset: 3, partition: 0)).Dn();

        Assert.Equal(new InputPosition(Events.Topic, 0, 3), dn.Source);
        Assert.Equal<PartitionOffset>([new PartitionOffset(0, 3), new PartitionOffset(2, 7)], dn.InputPositions);
        Assert.Equal(7, dn.LastOffsetOf(2));
        Assert.Equal(-1, dn.LastOffsetOf(1));
    }

    /// <summary>The DN with the bookkeeping of <paramref name="reference"/>, to compare everything else.</summary>
    private static DnState Bookkeeping(DnState dn, DnState reference) => dn with
    {
        UpdatedAt = reference.UpdatedAt,
        LastEvent = reference.LastEvent,
        EventCount = reference.EventCount,
        Source = reference.Source,
        InputPositions = reference.InputPositions,
    };
}
