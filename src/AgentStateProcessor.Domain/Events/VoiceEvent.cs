namespace AgentStateProcessor.Domain.Events;

/// <summary>
/// A validated agent-state or DN event, reduced to what the fold reads.
/// </summary>
/// <param name="Name">The event name as it arrived, e.g. <c>EventAgentLogin</c>.</param>
/// <param name="TenantId">From the message key <c>tenant:agent</c>, else the event's CustomerID.</param>
/// <param name="AgentId">From the message key, else the event's AgentID; null when neither names one.</param>
/// <param name="TimeMicros">Event time in microseconds since the Unix epoch: the event's <c>time</c>, else the record timestamp.</param>
/// <param name="Position">The input record's position; for DN events folded from the repartition topic, the original input position.</param>
public sealed record VoiceEvent(
    string Name,
    EventKind Kind,
    string TenantId,
    string? AgentId,
    string? ThisDn,
    string? ThisQueue,
    string? OtherDn,
    string? ConnId,
    AgentWorkMode? WorkMode,
    string? ReasonCode,
    long TimeMicros,
    InputPosition Position)
{
    public string? AgentKey => AgentId is null ? null : StateKeys.Of(TenantId, AgentId);
    public string? DnKey => ThisDn is null ? null : StateKeys.Of(TenantId, ThisDn);
}
