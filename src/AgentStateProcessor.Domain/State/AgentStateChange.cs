using System.Collections.Immutable;
using AgentStateProcessor.Domain.Events;

namespace AgentStateProcessor.Domain;

/// <summary>
/// One change of an agent's state, for analytics: what the agent was, what it is now, and how long
/// it was the former. Derived from the states before and after an applied fold
/// (<see cref="Between"/>), so it follows whatever the fold rules decide; timestamps are
/// microseconds since the Unix epoch, taken from the states and the event, never from the clock.
/// </summary>
/// <param name="PreviousSince">
/// When the previous state began: the previous state's <see cref="AgentState.StateSince"/>. Null for
/// an agent's first event: the processor treats an agent it has not heard of as logged out, but does
/// not know since when. The fold does not restart <see cref="AgentState.StateSince"/> when only the
/// reason or work mode changes, so consecutive NotReady changes share the NotReady start.
/// </param>
/// <param name="ChangedAt">
/// When the previous state ended: the new <see cref="AgentState.StateSince"/> when the state changed;
/// for a reason or work-mode change within NotReady, the event's time (never before
/// <paramref name="PreviousSince"/>, as state timestamps never move backwards).
/// </param>
/// <param name="DurationMicros"><paramref name="ChangedAt"/> minus <paramref name="PreviousSince"/>; null when that is unknown.</param>
/// <param name="Dn">The agent's DN after the change.</param>
/// <param name="Queues">The queues the agent is logged in to after the change (none after a logout).</param>
/// <param name="Source">The input position of the event that made the change.</param>
/// <param name="EventName">The event that made the change, e.g. <c>EventAgentReady</c>.</param>
/// <param name="EventTime">That event's time, which may be earlier than <paramref name="ChangedAt"/> when events arrive out of order.</param>
public sealed record AgentStateChange(
    string TenantId,
    string AgentId,
    AgentStatus PreviousState,
    AgentWorkMode? PreviousWorkMode,
    string? PreviousReasonCode,
    AgentStatus State,
    AgentWorkMode? WorkMode,
    string? ReasonCode,
    long? PreviousSince,
    long ChangedAt,
    long? DurationMicros,
    string? Dn,
    ImmutableArray<string> Queues,
    InputPosition Source,
    string EventName,
    long EventTime)
{
    public string Key => StateKeys.Of(TenantId, AgentId);

    /// <summary>
    /// The change an applied fold of <paramref name="e"/> made from <paramref name="before"/> (null:
    /// the agent's first event) to <paramref name="after"/>, or null when it made none. A change is a
    /// new <see cref="AgentStatus"/>, or a new reason code or work mode while NotReady: those say why
    /// the agent is unavailable. While Ready or LoggedIn the reason and work mode describe no
    /// availability, and joining or leaving one of several queues leaves the state as it is, so
    /// neither is a change.
    /// </summary>
    public static AgentStateChange? Between(AgentState? before, AgentState after, VoiceEvent e)
    {
        var previousState = before?.State ?? AgentStatus.LoggedOut;
        var stateChanged = after.State != previousState;
        var whyChanged = before is not null && after.State == AgentStatus.NotReady
            && (after.WorkMode != before.WorkMode || !string.Equals(after.ReasonCode, before.ReasonCode, StringComparison.Ordinal));
        if (!stateChanged && !whyChanged) return null;

        var previousSince = before?.StateSince;
        var changedAt = stateChanged ? after.StateSince : Math.Max(before!.StateSince, e.TimeMicros);
        return new AgentStateChange(
            after.TenantId, after.AgentId,
            previousState, before?.WorkMode, before?.ReasonCode,
            after.State, after.WorkMode, after.ReasonCode,
            previousSince, changedAt, changedAt - previousSince,
            after.Dn, after.Queues, e.Position, e.Name, e.TimeMicros);
    }
}
