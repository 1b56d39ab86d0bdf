namespace AgentStateProcessor.Domain.Fold;

public enum FoldOutcome
{
    /// <summary>The event changed the state (at least its bookkeeping: lastEvent, eventCount, source).</summary>
    Applied,
    /// <summary>The state already reflects the event's input position: replayed input, ignored.</summary>
    Duplicate,
    /// <summary>The event has no rule for this kind of state, or does not name the key.</summary>
    NotApplicable,
}

/// <summary>The state after one event; <see cref="State"/> is the unchanged input unless applied.</summary>
public readonly record struct FoldResult<TState>(FoldOutcome Outcome, TState? State) where TState : class;
