namespace AgentStateProcessor.Domain.Events;

/// <summary>The T-Library AgentWorkMode enumeration; the numeric values are the wire values.</summary>
public enum AgentWorkMode
{
    AgentWorkModeUnknown = 0,
    AgentManualIn = 1,
    AgentAutoIn = 2,
    AgentAfterCallWork = 3,
    AgentAuxWork = 4,
    AgentNoCallDisconnect = 5,
    AgentWalkAway = 6,
    AgentReturnBack = 7,
}
