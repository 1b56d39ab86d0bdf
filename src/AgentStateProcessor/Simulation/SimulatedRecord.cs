namespace AgentStateProcessor.Simulation;

/// <summary>What the simulator meant a record to be, so tests can check what the processor made of it.</summary>
internal enum SimulatedRecordKind
{
    /// <summary>A known event that satisfies its table and is coherent with the agent's earlier events.</summary>
    Valid,

    /// <summary>Must be dead-lettered: malformed JSON, a missing mandatory attribute, a wrong type, a bad enum value, garbage.</summary>
    Invalid,

    /// <summary>
    /// Well-formed and skipped, not an error: an extension event without a state rule (monitoring, listen), or an
    /// event no attribute table describes.
    /// </summary>
    Skipped,
}

/// <summary>One input record for <c>voice-agentstate</c>: UTF-8 key <c>"{tenant}:{agent}"</c> and JSON value bytes.</summary>
internal sealed record SimulatedRecord(string? Key, byte[] Value, DateTimeOffset Timestamp, SimulatedRecordKind Kind);
