namespace AgentStateProcessor.Schemas.Tables;

/// <summary>
/// Events the real <c>voice-agentstate</c> topic carries that the attribute tables do not describe: well-formed,
/// skipped rather than dead-lettered (docs/fold-rules.md). The simulator produces them; tests recognise them.
/// </summary>
public static class UndescribedEvents
{
    public static IReadOnlyList<string> Names { get; } =
    [
        "EventQueueLogout", "EventMonitoringNextCall", "EventMonitoringCancelled", "EventListenDisconnected",
        "EventListenReconnected", "EventMessageWaitingOn", "EventMessageWaitingOff",
    ];

    /// <summary>The one of them that names an ACD queue (ThisQueue), as EventAgentLogout does.</summary>
    public const string QueueLogout = "EventQueueLogout";
}
