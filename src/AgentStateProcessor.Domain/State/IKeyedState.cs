namespace AgentStateProcessor.Domain;

/// <summary>
/// A state that holds the parts of its own key <c>tenant:id</c>, so a store can key it by them
/// instead of keeping a key string of its own per state.
/// </summary>
public interface IKeyedState
{
    string TenantId { get; }

    /// <summary>The part of the key after the tenant: the agent id of an agent, the DN of a DN.</summary>
    string Id { get; }
}
