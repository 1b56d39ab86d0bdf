using System.Collections.Immutable;
using AgentStateProcessor.Domain;
using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.Domain.Fold;

namespace AgentStateProcessor.Processing.Stores;

/// <summary>
/// Applies the pure fold to the state a store holds for the event's key. A queue set the fold
/// changed is replaced by the shared instance of equal sets (<see cref="InternPool"/>): agents
/// share a few queue sets, and each change would otherwise leave every state an array of its own.
/// </summary>
public static class StoreFolding
{
    public static FoldOutcome Fold(this StateStore<AgentState> store, VoiceEvent e) => store.Fold(e, out _);

    /// <param name="change">
    /// The agent state change the fold made, from the state the store held to the one it holds now;
    /// null unless the fold applied and changed the state (<see cref="AgentStateChange.Between"/>).
    /// </param>
    public static FoldOutcome Fold(this StateStore<AgentState> store, VoiceEvent e, out AgentStateChange? change)
    {
        change = null;
        if (e.AgentId is null) return FoldOutcome.NotApplicable;
        var current = store.Get(e.TenantId, e.AgentId);
        var result = AgentFold.Apply(current, e);
        if (result.Outcome != FoldOutcome.Applied) return result.Outcome;
        var state = result.State!;
        var queues = Shared(state.Queues, current?.Queues);
        if (queues != state.Queues) state = state with { Queues = queues };
        store.Put(state);
        change = AgentStateChange.Between(current, state, e);
        return result.Outcome;
    }

    public static FoldOutcome Fold(this StateStore<DnState> store, VoiceEvent e)
    {
        if (e.ThisDn is null) return FoldOutcome.NotApplicable;
        var current = store.Get(e.TenantId, e.ThisDn);
        var result = DnFold.Apply(current, e);
        if (result.Outcome != FoldOutcome.Applied) return result.Outcome;
        var state = result.State!;
        var queues = Shared(state.Queues, current?.Queues);
        store.Put(queues == state.Queues ? state : state with { Queues = queues });
        return result.Outcome;
    }

    /// <summary>Most events leave the queues alone: only a set the fold made is looked up.</summary>
    private static ImmutableArray<string> Shared(ImmutableArray<string> queues, ImmutableArray<string>? before) =>
        before == queues ? queues : InternPool.Shared.Intern(queues);
}
