using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.Domain.Fold;

namespace AgentStateProcessor.Domain.Tests;

/// <summary>The agent rules of docs/fold-rules.md, one scenario each.</summary>
public class AgentFoldTests
{
    [Fact]
    public void Two_queue_logins_then_ready_is_ready_on_both_queues_sorted_since_the_ready_and_logged_in_since_the_first_login()
    {
        var folded = FoldedState.Of(
            Events.Login(queue: "Q2", at: 10, offset: 1),
            Events.Login(queue: "Q1", at: 20, offset: 2),
            Events.Ready(at: 30, offset: 3));

        var agent = folded.Agent();
        Assert.Equal(AgentStatus.Ready, agent.State);
        Assert.Equal<string>(["Q1", "Q2"], agent.Queues);
        Assert.Equal(Events.Time(30), agent.StateSince);
        Assert.Equal(Events.Time(10), agent.LoggedInSince);
        Assert.Equal(Events.Time(30), agent.UpdatedAt);
        Assert.Equal("1001", agent.Dn);
        Assert.Equal("EventAgentReady", agent.LastEvent);
        Assert.Equal(3, agent.EventCount);
        Assert.Equal(new InputPosition(Events.Topic, 0, 3), agent.Source);
        Assert.Equal("t1:a1", agent.Key);
    }

    [Fact]
    public void An_agent_in_two_queues_who_leaves_one_is_listed_in_the_other_and_keeps_its_state()
    {
        var beforeLeaving = FoldedState.Of(
            Events.Login(queue: "Q1", at: 10, offset: 1),
            Events.Login(queue: "Q2", at: 11, offset: 2),
            Events.NotReady(at: 12, offset: 3, workMode: AgentWorkMode.AgentAuxWork, reason: "Break"));
        var before = beforeLeaving.Agent();

        var agent = AgentFold.Apply(before, Events.QueueLogout(queue: "Q2", at: 20, offset: 4, reason: "Shift")).State!;

        Assert.Equal<string>(["Q1"], agent.Queues);
        Assert.Equal((AgentStatus.NotReady, AgentWorkMode.AgentAuxWork, "Break"), (agent.State, agent.WorkMode, agent.ReasonCode));
        Assert.Equal((before.StateSince, before.LoggedInSince), (agent.StateSince, agent.LoggedInSince));
        Assert.Equal(("EventQueueLogout", 4L, Events.Time(20)), (agent.LastEvent, agent.EventCount, agent.UpdatedAt));
    }

    [Fact]
    public void Leaving_the_last_queue_is_the_agents_logout_and_a_following_agent_logout_changes_no_state()
    {
        var folded = FoldedState.Of(
            Events.Login(queue: "Q1", at: 10, offset: 1, workMode: AgentWorkMode.AgentManualIn),
            Events.Login(queue: "Q2", at: 11, offset: 2),
            Events.Ready(at: 12, offset: 3, workMode: AgentWorkMode.AgentManualIn),
            Events.QueueLogout(queue: "Q2", at: 20, offset: 4),
            Events.QueueLogout(queue: "Q1", at: 30, offset: 5, reason: "EndOfShift"));
        var agent = folded.Agent();

        Assert.Equal(AgentStatus.LoggedOut, agent.State);
        Assert.Empty(agent.Queues);
        Assert.Equal((null, "EndOfShift", Events.Time(30), (long?)null), (agent.WorkMode, agent.ReasonCode, agent.StateSince, agent.LoggedInSince));
        Assert.Equal("1001", agent.Dn);

        var afterFinalLogout = AgentFold.Apply(agent, Events.Logout(at: 31, offset: 6, reason: "EndOfShift")).State!;
        Assert.Equal((AgentStatus.LoggedOut, Events.Time(30)), (afterFinalLogout.State, afterFinalLogout.StateSince));
    }

    [Fact]
    public void Leaving_a_queue_the_agent_is_not_known_in_changes_only_the_bookkeeping()
    {
        var before = FoldedState.Of(Events.Login(queue: "Q1", at: 10, offset: 1), Events.Ready(at: 11, offset: 2)).Agent();

        var agent = AgentFold.Apply(before, Events.QueueLogout(queue: "Q9", at: 20, offset: 3)).State!;

        Assert.Equal((AgentStatus.Ready, "Q1"), (agent.State, Assert.Single(agent.Queues)));
        Assert.Equal(3, agent.EventCount);
    }

    [Fact]
    public void A_queue_logout_that_names_no_queue_changes_no_queue_and_no_state()
    {
        var before = FoldedState.Of(Events.Login(queue: "Q1", at: 10, offset: 1)).Agent();

        var result = AgentFold.Apply(before, Events.QueueLogout(queue: null, at: 20, offset: 2));

        Assert.Equal(FoldOutcome.Applied, result.Outcome);
        Assert.Equal((AgentStatus.LoggedIn, "Q1"), (result.State!.State, Assert.Single(result.State.Queues)));
    }

    [Fact]
    public void First_login_makes_a_new_agent_logged_in_with_its_dn_and_work_mode()
    {
        var agent = FoldedState.Of(Events.Login(dn: "1002", queue: "Q1", at: 5, workMode: AgentWorkMode.AgentAutoIn)).Agent();

        Assert.Equal(AgentStatus.LoggedIn, agent.State);
        Assert.Equal("1002", agent.Dn);
        Assert.Equal(AgentWorkMode.AgentAutoIn, agent.WorkMode);
        Assert.Equal(Events.Time(5), agent.StateSince);
        Assert.Equal(Events.Time(5), agent.LoggedInSince);
        Assert.Equal(1, agent.EventCount);
    }

    [Fact]
    public void Not_ready_records_the_state_the_work_mode_and_the_reason_code()
    {
        var agent = FoldedState.Of(
            Events.Login(queue: "Q1", at: 10, offset: 1),
            Events.NotReady(at: 20, offset: 2, workMode: AgentWorkMode.AgentAfterCallWork, reason: "7")).Agent();

        Assert.Equal(AgentStatus.NotReady, agent.State);
        Assert.Equal(AgentWorkMode.AgentAfterCallWork, agent.WorkMode);
        Assert.Equal("7", agent.ReasonCode);
        Assert.Equal(Events.Time(20), agent.StateSince);
    }

    [Fact]
    public void Ready_after_not_ready_clears_the_reason_and_work_mode_it_does_not_carry()
    {
        var agent = FoldedState.Of(
            Events.Login(at: 10, offset: 1),
            Events.NotReady(at: 20, offset: 2, workMode: AgentWorkMode.AgentAuxWork, reason: "Break"),
            Events.Ready(at: 30, offset: 3)).Agent();

        Assert.Equal(AgentStatus.Ready, agent.State);
        Assert.Null(agent.WorkMode);
        Assert.Null(agent.ReasonCode);
    }

    [Fact]
    public void Final_logout_empties_the_queues_clears_work_mode_and_logged_in_since_and_keeps_the_last_dn()
    {
        var agent = FoldedState.Of(
            Events.Login(queue: "Q1", at: 10, offset: 1, workMode: AgentWorkMode.AgentManualIn),
            Events.Login(queue: "Q2", at: 11, offset: 2),
            Events.Ready(at: 12, offset: 3, workMode: AgentWorkMode.AgentManualIn),
            Events.Logout(at: 40, offset: 4, reason: "HW")).Agent();

        Assert.Equal(AgentStatus.LoggedOut, agent.State);
        Assert.Empty(agent.Queues);
        Assert.Null(agent.WorkMode);
        Assert.Null(agent.LoggedInSince);
        Assert.Equal("HW", agent.ReasonCode);
        Assert.Equal("1001", agent.Dn);
        Assert.Equal(Events.Time(40), agent.StateSince);
    }

    [Fact]
    public void Logout_without_a_reason_clears_the_reason_of_an_earlier_not_ready()
    {
        var agent = FoldedState.Of(
            Events.Login(at: 10, offset: 1),
            Events.NotReady(at: 20, offset: 2, reason: "Break"),
            Events.Logout(at: 30, offset: 3)).Agent();

        Assert.Null(agent.ReasonCode);
    }

    [Fact]
    public void Repeated_login_is_not_a_transition_stateSince_stays_and_eventCount_grows()
    {
        var once = FoldedState.Of(Events.Login(queue: "Q1", at: 10, offset: 1)).Agent();
        var twice = FoldedState.Of(
            Events.Login(queue: "Q1", at: 10, offset: 1),
            Events.Login(queue: "Q1", at: 25, offset: 2)).Agent();

        Assert.Equal(AgentStatus.LoggedIn, twice.State);
        Assert.Equal(once.StateSince, twice.StateSince);
        Assert.Equal(once.LoggedInSince, twice.LoggedInSince);
        Assert.Equal<string>(["Q1"], twice.Queues);
        Assert.Equal(2, twice.EventCount);
        Assert.Equal(Events.Time(25), twice.UpdatedAt);
    }

    [Theory]
    [InlineData(EventKind.AgentReady, AgentStatus.Ready)]
    [InlineData(EventKind.AgentNotReady, AgentStatus.NotReady)]
    public void Login_to_another_queue_keeps_a_ready_or_not_ready_agent_in_its_state(EventKind readiness, AgentStatus expected)
    {
        var agent = FoldedState.Of(
            Events.Login(queue: "Q1", at: 10, offset: 1),
            Events.Of(readiness, agent: "a1", at: 20, offset: 2),
            Events.Login(queue: "Q2", at: 30, offset: 3)).Agent();

        Assert.Equal(expected, agent.State);
        Assert.Equal(Events.Time(20), agent.StateSince);
        Assert.Equal<string>(["Q1", "Q2"], agent.Queues);
    }

    [Fact]
    public void Ready_without_a_login_logs_the_agent_in_and_takes_the_dn_of_the_event()
    {
        var agent = FoldedState.Of(Events.Ready(dn: "1003", at: 10)).Agent();

        Assert.Equal(AgentStatus.Ready, agent.State);
        Assert.Equal(Events.Time(10), agent.LoggedInSince);
        Assert.Equal("1003", agent.Dn);
    }

    [Fact]
    public void Ready_on_another_dn_keeps_the_dn_of_the_login()
    {
        var agent = FoldedState.Of(
            Events.Login(dn: "1001", at: 10, offset: 1),
            Events.Ready(dn: "1002", at: 20, offset: 2)).Agent();

        Assert.Equal("1001", agent.Dn);
    }

    [Fact]
    public void Login_after_logout_starts_a_new_login_period()
    {
        var agent = FoldedState.Of(
            Events.Login(queue: "Q1", at: 10, offset: 1),
            Events.Logout(at: 20, offset: 2),
            Events.Login(dn: "1002", queue: "Q3", at: 30, offset: 3)).Agent();

        Assert.Equal(AgentStatus.LoggedIn, agent.State);
        Assert.Equal(Events.Time(30), agent.LoggedInSince);
        Assert.Equal(Events.Time(30), agent.StateSince);
        Assert.Equal<string>(["Q3"], agent.Queues);
        Assert.Equal("1002", agent.Dn);
    }

    [Fact]
    public void Reserved_changes_only_the_bookkeeping()
    {
        var before = FoldedState.Of(
            Events.Login(queue: "Q1", at: 10, offset: 1),
            Events.NotReady(at: 20, offset: 2, workMode: AgentWorkMode.AgentAuxWork, reason: "3")).Agent();

        var result = AgentFold.Apply(before, Events.Reserved(dn: "1009", at: 30, offset: 3));

        Assert.Equal(FoldOutcome.Applied, result.Outcome);
        var after = result.State!;
        Assert.Equal(Events.Time(30), after.UpdatedAt);
        Assert.Equal("EventAgentReserved", after.LastEvent);
        Assert.Equal(before.EventCount + 1, after.EventCount);
        Assert.Equal(new InputPosition(Events.Topic, 0, 3), after.Source);
        Assert.True(StateEquality.Equal(before, after with
        {
            UpdatedAt = before.UpdatedAt, LastEvent = before.LastEvent, EventCount = before.EventCount, Source = before.Source,
        }));
    }

    [Fact]
    public void Reserved_for_an_unknown_agent_creates_it_logged_out()
    {
        var agent = FoldedState.Of(Events.Reserved(at: 10)).Agent();

        Assert.Equal(AgentStatus.LoggedOut, agent.State);
        Assert.Null(agent.LoggedInSince);
        Assert.Null(agent.Dn);
        Assert.Equal(1, agent.EventCount);
    }

    [Theory]
    [InlineData(EventKind.NoStateRule)]
    [InlineData(EventKind.DnOutOfService)]
    [InlineData(EventKind.DnBackInService)]
    [InlineData(EventKind.DndOn)]
    [InlineData(EventKind.DndOff)]
    [InlineData(EventKind.ForwardSet)]
    [InlineData(EventKind.ForwardCancel)]
    [InlineData(EventKind.OffHook)]
    [InlineData(EventKind.OnHook)]
    [InlineData(EventKind.MuteOn)]
    [InlineData(EventKind.MuteOff)]
    public void Events_without_an_agent_rule_are_not_applicable_and_return_the_state_unchanged(EventKind kind)
    {
        var current = FoldedState.Of(Events.Login(at: 10, offset: 1)).Agent();

        var result = AgentFold.Apply(current, Events.Of(kind, agent: "a1", at: 20, offset: 2));

        Assert.Equal(FoldOutcome.NotApplicable, result.Outcome);
        Assert.Same(current, result.State);
    }

    [Theory]
    [InlineData(EventKind.AgentLogin)]
    [InlineData(EventKind.AgentLogout)]
    [InlineData(EventKind.AgentReady)]
    [InlineData(EventKind.AgentNotReady)]
    [InlineData(EventKind.AgentReserved)]
    public void An_agent_event_without_an_agent_id_is_not_applicable_to_the_agent_fold(EventKind kind)
    {
        var result = AgentFold.Apply(null, Events.Of(kind, agent: null, at: 10));

        Assert.Equal(FoldOutcome.NotApplicable, result.Outcome);
        Assert.Null(result.State);
    }

    [Fact]
    public void An_event_with_no_state_rule_for_an_unknown_agent_creates_nothing()
    {
        var folded = FoldedState.Of(Events.Of(EventKind.NoStateRule, agent: "a1", dn: "1001", at: 10));

        Assert.Empty(folded.Agents);
        Assert.Empty(folded.Dns);
    }

    [Fact]
    public void Out_of_order_event_times_never_move_stateSince_or_updatedAt_backwards()
    {
        var folded = new FoldedState();
        folded.Apply(Events.Login(queue: "Q1", at: 100, offset: 1));
        folded.Apply(Events.Ready(at: 50, offset: 2));
        var ready = folded.Agent();
        folded.Apply(Events.NotReady(at: 40, offset: 3));
        var notReady = folded.Agent();
        folded.Apply(Events.Reserved(at: 10, offset: 4));
        var reserved = folded.Agent();

        Assert.Equal(AgentStatus.Ready, ready.State);
        Assert.Equal(Events.Time(100), ready.StateSince);
        Assert.Equal(Events.Time(100), ready.UpdatedAt);
        Assert.Equal(Events.Time(100), ready.LoggedInSince);
        Assert.Equal(AgentStatus.NotReady, notReady.State);
        Assert.Equal(Events.Time(100), notReady.StateSince);
        Assert.Equal(Events.Time(100), reserved.UpdatedAt);
        Assert.Equal(4, reserved.EventCount);
    }

    [Fact]
    public void A_logout_time_before_the_login_period_started_does_not_move_stateSince_backwards()
    {
        var agent = FoldedState.Of(
            Events.Login(at: 100, offset: 1),
            Events.Logout(at: 60, offset: 2),
            Events.Login(at: 70, offset: 3)).Agent();

        Assert.Equal(AgentStatus.LoggedIn, agent.State);
        Assert.Equal(Events.Time(100), agent.StateSince);
        Assert.Equal(Events.Time(100), agent.LoggedInSince);
    }

    [Fact]
    public void Agents_of_different_tenants_with_the_same_id_are_separate_states()
    {
        var folded = FoldedState.Of(
            Events.Login(tenant: "t1", at: 10, offset: 1),
            Events.Ready(tenant: "t2", at: 20, offset: 2));

        Assert.Equal(AgentStatus.LoggedIn, folded.Agent(tenant: "t1").State);
        Assert.Equal(AgentStatus.Ready, folded.Agent(tenant: "t2").State);
        Assert.Equal("t2", folded.Agent(tenant: "t2").TenantId);
    }

    [Fact]
    public void The_fold_does_not_mutate_the_state_it_is_given()
    {
        var current = FoldedState.Of(Events.Login(queue: "Q1", at: 10, offset: 1)).Agent();
        var copy = current with { };

        AgentFold.Apply(current, Events.Login(queue: "Q0", at: 20, offset: 2));
        AgentFold.Apply(current, Events.Logout(at: 30, offset: 3));

        Assert.True(StateEquality.Equal(copy, current));
        Assert.Equal<string>(["Q1"], current.Queues);
    }
}
