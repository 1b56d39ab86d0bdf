using AgentStateProcessor.Domain;
using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.Domain.Fold;

namespace AgentStateProcessor.Processing.Stores;

/// <summary>Applies the pure fold to the state a store holds for the event's key.</summary>
public static class StoreFolding
{
    public static FoldOutcome Fold(this StateStore<AgentState> store, VoiceEvent e)
    {
        if (e.AgentKey is not { } key) return FoldOutcome.NotApplicable;
        var result = AgentFold.Apply(store.Get(key), e);
        if (result.Outcome == FoldOutcome.Applied) store.Put(key, result.State!);
        return result.Outcome;
    }

    public static FoldOutcome Fold(this StateStore<DnState> store, VoiceEvent e)
    {
        if (e.DnKey is not { } key) return FoldOutcome.NotApplicable;
        var result = DnFold.Apply(store.Get(key), e);
        if (result.Outcome == FoldOutcome.Applied) store.Put(key, result.State!);
        return result.Outcome;
    }
}
