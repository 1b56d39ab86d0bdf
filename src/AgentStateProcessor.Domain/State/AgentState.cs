using System.Collections.Immutable;
using AgentStateProcessor.Domain.Events;

namespace AgentStateProcessor.Domain;

public enum AgentStatus { LoggedOut, LoggedIn, Ready, NotReady }

/// <summary>
/// What is known about one agent. Timestamps are microseconds since the Unix epoch and come from
/// the events, never from the clock, so the same input always gives the same state.
/// </summary>
public sealed record AgentState(
    string TenantId,
    string AgentId,
    AgentStatus State,
    AgentWorkMode? WorkMode,
    string? ReasonCode,
    string? Dn,
    ImmutableArray<string> Queues,
    long? LoggedInSince,
    long StateSince,
    long UpdatedAt,
    string LastEvent,
    long EventCount,
    InputPosition Source) : IKeyedState
{
    public string Key => StateKeys.Of(TenantId, AgentId);

    string IKeyedState.Id => AgentId;

    public static AgentState Initial(string tenantId, string agentId, long timeMicros, InputPosition position) =>
        new(tenantId, agentId, AgentStatus.LoggedOut, WorkMode: null, ReasonCode: null, Dn: null,
            Queues: [], LoggedInSince: null, StateSince: timeMicros, UpdatedAt: timeMicros,
            LastEvent: "", EventCount: 0, Source: position);
}
