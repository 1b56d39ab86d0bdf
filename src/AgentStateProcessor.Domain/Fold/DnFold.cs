using AgentStateProcessor.Domain.Events;

namespace AgentStateProcessor.Domain.Fold;

/// <summary>
/// Folds events into the state of the DN they name in ThisDN. Pure: the result depends only on
/// the arguments, which it never mutates. The rules are documented in docs/fold-rules.md.
/// </summary>
public static class DnFold
{
    public static FoldResult<DnState> Apply(DnState? current, VoiceEvent e)
    {
        if (!e.Kind.ChangesDn() || e.ThisDn is null) return new(FoldOutcome.NotApplicable, current);
        if (current is not null && e.Position.Offset <= current.LastOffsetOf(e.Position.Partition))
        {
            return new(FoldOutcome.Duplicate, current);
        }

        var before = current ?? DnState.Initial(e.TenantId, e.ThisDn, e.TimeMicros, e.Position);
        var after = e.Kind switch
        {
            EventKind.AgentLogin => before with
            {
                AgentId = StateText.Update(before.AgentId, e.AgentId),
                Queues = SortedNames.With(before.Queues, e.ThisQueue),
            },
            EventKind.AgentLogout when IsTheDnsAgent(before, e) => before with
            {
                AgentId = null,
                Queues = [],
            },
            EventKind.QueueLogout when e.ThisQueue is not null && IsTheDnsAgent(before, e) => LeaveQueue(before, e.ThisQueue),
            EventKind.AgentReady or EventKind.AgentNotReady or EventKind.AgentReserved => before with
            {
                AgentId = StateText.Update(before.AgentId, e.AgentId),
            },
            EventKind.DnOutOfService => before with { InService = false },
            EventKind.DnBackInService => before with { InService = true },
            EventKind.DndOn => before with { Dnd = true },
            EventKind.DndOff => before with { Dnd = false },
            EventKind.ForwardSet => before with { ForwardTo = StateText.Update(before.ForwardTo, e.OtherDn) },
            EventKind.ForwardCancel => before with { ForwardTo = null },
            EventKind.OffHook => before with { OffHook = true },
            EventKind.OnHook => before with { OffHook = false },
            EventKind.MuteOn => before with { MutedConnections = SortedNames.With(before.MutedConnections, e.ConnId) },
            EventKind.MuteOff => before with { MutedConnections = SortedNames.Without(before.MutedConnections, e.ConnId) },
            EventKind.MessageWaitingOn => before with { MessageWaiting = true },
            EventKind.MessageWaitingOff => before with { MessageWaiting = false },
            // The logout (from all queues or one) of an agent other than the one the DN knows leaves the DN alone.
            _ => before,
        };

        return new(FoldOutcome.Applied, after with
        {
            UpdatedAt = Math.Max(before.UpdatedAt, e.TimeMicros),
            LastEvent = e.Name,
            EventCount = before.EventCount + 1,
            Source = e.Position,
            InputPositions = before.WithInputPosition(e.Position.Partition, e.Position.Offset),
        });
    }

    /// <summary>The event's agent is the DN's, or one of them is unknown.</summary>
    private static bool IsTheDnsAgent(DnState dn, VoiceEvent e) => e.AgentId is null || dn.AgentId is null || e.AgentId == dn.AgentId;

    /// <summary>As for the agent (AgentFold): leaving the last queue the DN knows is the agent's logout from the DN.</summary>
    private static DnState LeaveQueue(DnState before, string queue)
    {
        var queues = SortedNames.Without(before.Queues, queue);
        return queues.IsEmpty ? before with { AgentId = null, Queues = [] } : before with { Queues = queues };
    }
}
