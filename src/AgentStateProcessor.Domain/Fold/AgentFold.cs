using AgentStateProcessor.Domain.Events;

namespace AgentStateProcessor.Domain.Fold;

/// <summary>
/// Folds agent events into an agent's state. Pure: the result depends only on the arguments,
/// which it never mutates. The rules are documented in docs/fold-rules.md.
/// </summary>
public static class AgentFold
{
    public static FoldResult<AgentState> Apply(AgentState? current, VoiceEvent e)
    {
        if (!e.Kind.ChangesAgent() || e.AgentId is null) return new(FoldOutcome.NotApplicable, current);
        if (current is not null && Reflects(current.Source, e.Position)) return new(FoldOutcome.Duplicate, current);

        var before = current ?? AgentState.Initial(e.TenantId, e.AgentId, e.TimeMicros, e.Position);
        var after = e.Kind switch
        {
            EventKind.AgentLogin => WithStatus(before, before.State == AgentStatus.LoggedOut ? AgentStatus.LoggedIn : before.State, e) with
            {
                Dn = StateText.Update(before.Dn, e.ThisDn),
                Queues = SortedNames.With(before.Queues, e.ThisQueue),
                WorkMode = e.WorkMode ?? before.WorkMode,
            },
            EventKind.AgentLogout => LoggedOut(before, e),
            EventKind.QueueLogout => LeaveQueue(before, e),
            EventKind.AgentReady => WithStatus(before, AgentStatus.Ready, e) with
            {
                Dn = before.Dn ?? e.ThisDn,
                WorkMode = e.WorkMode,
                ReasonCode = e.ReasonCode,
            },
            EventKind.AgentNotReady => WithStatus(before, AgentStatus.NotReady, e) with
            {
                Dn = before.Dn ?? e.ThisDn,
                WorkMode = e.WorkMode,
                ReasonCode = e.ReasonCode,
            },
            // A reservation confirms that the agent may be offered a call; it is not a change of
            // login or readiness, so only the bookkeeping below records it.
            _ => before,
        };

        return new(FoldOutcome.Applied, after with
        {
            UpdatedAt = Math.Max(before.UpdatedAt, e.TimeMicros),
            LastEvent = e.Name,
            EventCount = before.EventCount + 1,
            Source = e.Position,
        });
    }

    private static AgentState LoggedOut(AgentState before, VoiceEvent e) => WithStatus(before, AgentStatus.LoggedOut, e) with
    {
        Queues = [],
        WorkMode = null,
        ReasonCode = e.ReasonCode,
    };

    /// <summary>
    /// EventQueueLogout: the agent left ThisQueue. While other queues remain, only the queues change. When no known
    /// queue remains, it is the agent's logout, as the one-queue Platform SDK sample treats it: EventAgentLogout may
    /// follow (and then changes nothing), but an agent must not stay logged in to no queue if it does not.
    /// Without ThisQueue the event says nothing we could apply.
    /// </summary>
    private static AgentState LeaveQueue(AgentState before, VoiceEvent e)
    {
        if (e.ThisQueue is null) return before;
        var queues = SortedNames.Without(before.Queues, e.ThisQueue);
        return queues.IsEmpty ? LoggedOut(before, e) : before with { Queues = queues };
    }

    /// <summary>
    /// An agent's events all come from one input partition (the input is keyed by agent), so its
    /// last applied position says whether a replayed record was already folded.
    /// </summary>
    private static bool Reflects(InputPosition applied, InputPosition incoming) =>
        incoming.Partition == applied.Partition
        && incoming.Offset <= applied.Offset
        && string.Equals(incoming.Topic, applied.Topic, StringComparison.Ordinal);

    private static AgentState WithStatus(AgentState state, AgentStatus status, VoiceEvent e)
    {
        if (state.State == status) return state;
        // Event times may arrive out of order; state timestamps never move backwards.
        var since = Math.Max(state.StateSince, e.TimeMicros);
        return state with
        {
            State = status,
            StateSince = since,
            LoggedInSince = status == AgentStatus.LoggedOut ? null : state.LoggedInSince ?? since,
        };
    }
}
