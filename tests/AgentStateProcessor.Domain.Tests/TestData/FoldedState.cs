using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.Domain.Fold;

namespace AgentStateProcessor.Domain.Tests;

/// <summary>
/// Agent and DN state kept the way a state store keeps it: one dictionary per kind of state,
/// keyed by the event's key, updated only when the fold says Applied.
/// </summary>
internal sealed class FoldedState
{
    public Dictionary<string, AgentState> Agents { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, DnState> Dns { get; } = new(StringComparer.Ordinal);

    public static FoldedState Of(params IEnumerable<VoiceEvent> events)
    {
        var state = new FoldedState();
        state.ApplyAll(events);
        return state;
    }

    public AgentState Agent(string agent = "a1", string tenant = Events.Tenant) => Agents[StateKeys.Of(tenant, agent)];

    public DnState Dn(string dn = "1001", string tenant = Events.Tenant) => Dns[StateKeys.Of(tenant, dn)];

    public FoldedState Copy()
    {
        // States are immutable records, so copying the dictionaries copies the whole store.
        var copy = new FoldedState();
        foreach (var (key, agent) in Agents) copy.Agents.Add(key, agent);
        foreach (var (key, dn) in Dns) copy.Dns.Add(key, dn);
        return copy;
    }

    public void ApplyAll(IEnumerable<VoiceEvent> events)
    {
        foreach (var e in events) Apply(e);
    }

    public FoldStep Apply(VoiceEvent e)
    {
        var agent = AgentFold.Apply(e.AgentKey is { } agentKey ? Agents.GetValueOrDefault(agentKey) : null, e);
        if (agent.Outcome == FoldOutcome.Applied) Agents[e.AgentKey!] = agent.State!;

        var dn = DnFold.Apply(e.DnKey is { } dnKey ? Dns.GetValueOrDefault(dnKey) : null, e);
        if (dn.Outcome == FoldOutcome.Applied) Dns[e.DnKey!] = dn.State!;

        return new(agent, dn);
    }
}

/// <summary>What both folds returned for one event.</summary>
internal readonly record struct FoldStep(FoldResult<AgentState> Agent, FoldResult<DnState> Dn)
{
    public FoldOutcome AgentOutcome => Agent.Outcome;
    public FoldOutcome DnOutcome => Dn.Outcome;
}
