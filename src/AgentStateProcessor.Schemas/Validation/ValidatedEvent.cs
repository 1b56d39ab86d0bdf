namespace AgentStateProcessor.Schemas;

/// <summary>
/// A valid event reduced to the attributes the fold reads; every other listed attribute was checked against the
/// event's schema and dropped. An attribute the event's table does not list, or that the input left out, is null.
/// </summary>
/// <param name="Name">The event name, as its schema spells it.</param>
/// <param name="AgentWorkMode">The symbol of the AgentWorkMode enumeration (a number in the input is mapped to it).</param>
/// <param name="ReasonCode">The <c>ReasonCode</c> entry of Reasons, else of Extensions (key matched ignoring case), as text.</param>
/// <param name="TimeMicros">The event's <c>time</c> in microseconds since the Unix epoch.</param>
public readonly record struct ValidatedEvent(
    string Name,
    string? ThisDn,
    string? ThisQueue,
    string? OtherDn,
    string? ConnId,
    string? AgentId,
    string? CustomerId,
    string? AgentWorkMode,
    string? ReasonCode,
    long? TimeMicros);

