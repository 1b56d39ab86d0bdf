using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.Domain.Fold;

namespace AgentStateProcessor.Domain.Tests;

/// <summary>Which folds are agent state changes, and what each change says about the state it ended.</summary>
public class AgentStateChangeTests
{
    [Fact]
    public void First_login_is_a_change_from_logged_out_since_an_unknown_time()
    {
        var change = Assert.Single(Changes(Events.Login(queue: "Q1", at: 10, offset: 4, workMode: AgentWorkMode.AgentManualIn)));

        Assert.Equal((AgentStatus.LoggedOut, (AgentWorkMode?)null, (string?)null), (change.PreviousState, change.PreviousWorkMode, change.PreviousReasonCode));
        Assert.Equal((AgentStatus.LoggedIn, (AgentWorkMode?)AgentWorkMode.AgentManualIn), (change.State, change.WorkMode));
        Assert.Null(change.PreviousSince);
        Assert.Null(change.DurationMicros);
        Assert.Equal(Events.Time(10), change.ChangedAt);
        Assert.Equal<string>(["Q1"], change.Queues);
        Assert.Equal("1001", change.Dn);
        Assert.Equal(("t1", "a1", "t1:a1"), (change.TenantId, change.AgentId, change.Key));
        Assert.Equal(new InputPosition(Events.Topic, 0, 4), change.Source);
        Assert.Equal(("EventAgentLogin", Events.Time(10)), (change.EventName, change.EventTime));
    }

    [Fact]
    public void Login_ready_not_ready_logout_gives_one_change_each_with_the_time_spent_in_the_state_it_ended()
    {
        var changes = Changes(
            Events.Login(queue: "Q1", at: 10, offset: 1),
            Events.Ready(at: 25, offset: 2, workMode: AgentWorkMode.AgentManualIn),
            Events.NotReady(at: 85, offset: 3, workMode: AgentWorkMode.AgentAuxWork, reason: "Lunch"),
            Events.Logout(queue: "Q1", at: 100, offset: 4));

        Assert.Equal(
            [
                (AgentStatus.LoggedOut, AgentStatus.LoggedIn, (long?)null, Events.Time(10), (long?)null),
                (AgentStatus.LoggedIn, AgentStatus.Ready, Events.Time(10), Events.Time(25), 15_000_000L),
                (AgentStatus.Ready, AgentStatus.NotReady, Events.Time(25), Events.Time(85), 60_000_000L),
                (AgentStatus.NotReady, AgentStatus.LoggedOut, Events.Time(85), Events.Time(100), 15_000_000L),
            ],
            changes.Select(c => (c.PreviousState, c.State, c.PreviousSince, c.ChangedAt, c.DurationMicros)));
        var logout = changes[^1];
        Assert.Equal(((AgentWorkMode?)AgentWorkMode.AgentAuxWork, "Lunch"), (logout.PreviousWorkMode, logout.PreviousReasonCode));
        Assert.Empty(logout.Queues);
    }

    [Fact]
    public void A_new_reason_while_not_ready_is_a_change_ending_at_the_event_and_counted_from_the_not_ready_start()
    {
        var changes = Changes(
            Events.Login(queue: "Q1", at: 10, offset: 1),
            Events.NotReady(at: 20, offset: 2, workMode: AgentWorkMode.AgentAuxWork, reason: "Lunch"),
            Events.NotReady(at: 50, offset: 3, workMode: AgentWorkMode.AgentAuxWork, reason: "Training"));

        var change = changes[^1];
        Assert.Equal((AgentStatus.NotReady, "Lunch", AgentStatus.NotReady, "Training"),
            (change.PreviousState, change.PreviousReasonCode, change.State, change.ReasonCode));
        Assert.Equal((Events.Time(20), Events.Time(50), (long?)30_000_000L), (change.PreviousSince, change.ChangedAt, change.DurationMicros));
    }

    [Fact]
    public void A_new_work_mode_while_not_ready_is_a_change()
    {
        var changes = Changes(
            Events.Login(queue: "Q1", at: 10, offset: 1),
            Events.NotReady(at: 20, offset: 2, workMode: AgentWorkMode.AgentAfterCallWork),
            Events.NotReady(at: 30, offset: 3, workMode: AgentWorkMode.AgentAuxWork));

        Assert.Equal(3, changes.Count);
        Assert.Equal(((AgentWorkMode?)AgentWorkMode.AgentAfterCallWork, (AgentWorkMode?)AgentWorkMode.AgentAuxWork),
            (changes[^1].PreviousWorkMode, changes[^1].WorkMode));
    }

    [Fact]
    public void A_not_ready_reason_change_with_an_earlier_event_time_does_not_end_before_the_not_ready_began()
    {
        var changes = Changes(
            Events.Login(queue: "Q1", at: 10, offset: 1),
            Events.NotReady(at: 40, offset: 2, reason: "Lunch"),
            Events.NotReady(at: 30, offset: 3, reason: "Training"));

        Assert.Equal((Events.Time(40), (long?)0L), (changes[^1].ChangedAt, changes[^1].DurationMicros));
        Assert.Equal(Events.Time(30), changes[^1].EventTime);
    }

    [Fact]
    public void The_same_not_ready_again_is_no_change()
    {
        var changes = Changes(
            Events.Login(queue: "Q1", at: 10, offset: 1),
            Events.NotReady(at: 20, offset: 2, workMode: AgentWorkMode.AgentAuxWork, reason: "Lunch"),
            Events.NotReady(at: 30, offset: 3, workMode: AgentWorkMode.AgentAuxWork, reason: "Lunch"));

        Assert.Equal(2, changes.Count);
    }

    [Fact]
    public void A_new_reason_or_work_mode_while_ready_is_no_change()
    {
        var changes = Changes(
            Events.Login(queue: "Q1", at: 10, offset: 1),
            Events.Ready(at: 20, offset: 2, workMode: AgentWorkMode.AgentManualIn),
            Events.Ready(at: 30, offset: 3, workMode: AgentWorkMode.AgentAutoIn, reason: "Back"));

        Assert.Equal([AgentStatus.LoggedIn, AgentStatus.Ready], changes.Select(c => c.State));
    }

    [Fact]
    public void Joining_another_queue_a_reservation_and_a_second_logout_are_no_changes()
    {
        var changes = Changes(
            Events.Login(queue: "Q1", at: 10, offset: 1),
            Events.Login(queue: "Q2", at: 11, offset: 2, workMode: AgentWorkMode.AgentAutoIn),
            Events.Reserved(at: 12, offset: 3),
            Events.Logout(at: 13, offset: 4),
            Events.Logout(at: 14, offset: 5, reason: "again"));

        Assert.Equal([AgentStatus.LoggedIn, AgentStatus.LoggedOut], changes.Select(c => c.State));
        Assert.Equal<string>(["Q1"], changes[0].Queues);
        Assert.Equal(Events.Time(10), changes[1].PreviousSince);
    }

    public static TheoryData<string> StatesBeforeTheLastQueueLogout => ["LoggedIn", "Ready", "NotReady"];

    [Theory]
    [MemberData(nameof(StatesBeforeTheLastQueueLogout))]
    public void Leaving_the_last_queue_with_EventQueueLogout_is_the_change_to_logged_out(string stateBefore)
    {
        VoiceEvent[] toState = stateBefore switch
        {
            "Ready" => [Events.Ready(at: 20, offset: 2, workMode: AgentWorkMode.AgentManualIn)],
            "NotReady" => [Events.NotReady(at: 20, offset: 2, workMode: AgentWorkMode.AgentAuxWork, reason: "Lunch")],
            _ => [],
        };
        var changes = Changes([Events.Login(queue: "Q1", at: 10, offset: 1), .. toState, Events.QueueLogout(queue: "Q1", at: 70, offset: 3, reason: "Shift")]);

        var logout = changes[^1];
        Assert.Equal((Enum.Parse<AgentStatus>(stateBefore), AgentStatus.LoggedOut), (logout.PreviousState, logout.State));
        Assert.Equal(("EventQueueLogout", "Shift", (AgentWorkMode?)null), (logout.EventName, logout.ReasonCode, logout.WorkMode));
        Assert.Equal(Events.Time(70), logout.ChangedAt);
        Assert.Equal(logout.ChangedAt - logout.PreviousSince, logout.DurationMicros);
        Assert.Empty(logout.Queues);
    }

    [Fact]
    public void Leaving_one_of_two_queues_is_no_change_and_leaving_the_other_is_the_logout()
    {
        var changes = Changes(
            Events.Login(queue: "Q1", at: 10, offset: 1),
            Events.Login(queue: "Q2", at: 11, offset: 2),
            Events.Ready(at: 20, offset: 3),
            Events.QueueLogout(queue: "Q2", at: 30, offset: 4),
            Events.QueueLogout(queue: "Q1", at: 40, offset: 5));

        Assert.Equal([AgentStatus.LoggedIn, AgentStatus.Ready, AgentStatus.LoggedOut], changes.Select(c => c.State));
        Assert.Equal<string>(["Q1", "Q2"], changes[1].Queues);
        Assert.Equal((AgentStatus.Ready, "EventQueueLogout"), (changes[2].PreviousState, changes[2].EventName));
        Assert.Equal((Events.Time(20), Events.Time(40), (long?)20_000_000L), (changes[2].PreviousSince, changes[2].ChangedAt, changes[2].DurationMicros));
    }

    [Fact]
    public void An_EventAgentLogout_after_the_last_queue_logout_is_no_second_change()
    {
        var changes = Changes(
            Events.Login(queue: "Q1", at: 10, offset: 1),
            Events.QueueLogout(queue: "Q1", at: 20, offset: 2),
            Events.Logout(queue: "Q1", at: 21, offset: 3));

        Assert.Equal([AgentStatus.LoggedIn, AgentStatus.LoggedOut], changes.Select(c => c.State));
        Assert.Equal("EventQueueLogout", changes[1].EventName);
    }

    [Fact]
    public void A_first_event_that_leaves_the_agent_logged_out_is_no_change()
    {
        Assert.Empty(Changes(Events.Logout(at: 10, offset: 1)));
        Assert.Empty(Changes(Events.Reserved(at: 10, offset: 1)));
    }

    [Fact]
    public void A_first_event_of_ready_is_a_change_from_logged_out()
    {
        var change = Assert.Single(Changes(Events.Ready(at: 10, offset: 1)));

        Assert.Equal((AgentStatus.LoggedOut, AgentStatus.Ready, (long?)null), (change.PreviousState, change.State, change.PreviousSince));
    }

    [Fact]
    public void A_duplicate_makes_no_change_even_when_it_would_have_changed_the_state()
    {
        var folded = FoldedState.Of(Events.Login(queue: "Q1", at: 10, offset: 1), Events.Ready(at: 20, offset: 2));
        var before = folded.Agent();
        var replayed = Events.NotReady(at: 30, offset: 2, reason: "Lunch");

        var result = AgentFold.Apply(before, replayed);

        Assert.Equal(FoldOutcome.Duplicate, result.Outcome);
        Assert.Null(AgentStateChange.Between(before, result.State!, replayed));
    }

    [Fact]
    public void The_change_comes_from_the_states_alone_so_a_state_any_fold_rule_made_is_judged_the_same_way()
    {
        var before = FoldedState.Of(Events.Login(queue: "Q1", at: 10, offset: 1), Events.Ready(at: 20, offset: 2)).Agent();
        var e = Events.Of(EventKind.AgentReserved, agent: "a1", at: 30, offset: 3);
        var after = before with { State = AgentStatus.LoggedOut, StateSince = Events.Time(30), Queues = [] };

        var change = AgentStateChange.Between(before, after, e);

        Assert.NotNull(change);
        Assert.Equal((AgentStatus.Ready, AgentStatus.LoggedOut, (long?)10_000_000L), (change.PreviousState, change.State, change.DurationMicros));
        Assert.Equal("EventAgentReserved", change.EventName);
    }

    /// <summary>The changes of each applied fold, in input order.</summary>
    private static List<AgentStateChange> Changes(params VoiceEvent[] events)
    {
        var changes = new List<AgentStateChange>();
        AgentState? state = null;
        foreach (var e in events)
        {
            var result = AgentFold.Apply(state, e);
            if (result.Outcome != FoldOutcome.Applied) continue;
            if (AgentStateChange.Between(state, result.State!, e) is { } change) changes.Add(change);
            state = result.State;
        }
        return changes;
    }
}
