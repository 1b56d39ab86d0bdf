namespace AgentStateProcessor.Domain.Events;

/// <summary>
/// The events the fold has a rule for: those of the reference documents, and three extension events the real topic
/// carries beyond them (EventQueueLogout, EventMessageWaitingOn/Off; docs/fold-rules.md). Every other event is
/// <see cref="NoStateRule"/>: validated and counted, but it changes no state.
/// </summary>
public enum EventKind
{
    NoStateRule,
    AgentLogin,
    AgentLogout,
    AgentReady,
    AgentNotReady,
    AgentReserved,
    DnOutOfService,
    DnBackInService,
    DndOn,
    DndOff,
    ForwardSet,
    ForwardCancel,
    OffHook,
    OnHook,
    MuteOn,
    MuteOff,
    QueueLogout,
    MessageWaitingOn,
    MessageWaitingOff,
}

public static class EventKinds
{
    private static readonly Dictionary<string, EventKind> ByName = new(StringComparer.Ordinal)
    {
        ["EventAgentLogin"] = EventKind.AgentLogin,
        ["EventAgentLogout"] = EventKind.AgentLogout,
        ["EventAgentReady"] = EventKind.AgentReady,
        ["EventAgentNotReady"] = EventKind.AgentNotReady,
        ["EventAgentReserved"] = EventKind.AgentReserved,
        ["EventDNOutOfService"] = EventKind.DnOutOfService,
        ["EventDNBackInService"] = EventKind.DnBackInService,
        ["EventDNDOn"] = EventKind.DndOn,
        ["EventDNDOff"] = EventKind.DndOff,
        ["EventForwardSet"] = EventKind.ForwardSet,
        ["EventForwardCancel"] = EventKind.ForwardCancel,
        ["EventOffHook"] = EventKind.OffHook,
        ["EventOnHook"] = EventKind.OnHook,
        ["EventMuteOn"] = EventKind.MuteOn,
        ["EventMuteOff"] = EventKind.MuteOff,
        ["EventQueueLogout"] = EventKind.QueueLogout,
        ["EventMessageWaitingOn"] = EventKind.MessageWaitingOn,
        ["EventMessageWaitingOff"] = EventKind.MessageWaitingOff,
    };

    private static readonly Dictionary<EventKind, string> NameByKind = ByName.ToDictionary(pair => pair.Value, pair => pair.Key);

    /// <summary>Every kind that has a state rule, in declaration order.</summary>
    public static IReadOnlyList<EventKind> WithStateRule { get; } = [.. Enum.GetValues<EventKind>().Where(kind => kind != EventKind.NoStateRule)];

    public static EventKind Of(string eventName) =>
        ByName.TryGetValue(eventName, out var kind) ? kind : EventKind.NoStateRule;

    /// <summary>The event's name on the wire (its <c>id</c>); <see cref="EventKind.NoStateRule"/> stands for many events and has none.</summary>
    public static string NameOf(EventKind kind) =>
        NameByKind.TryGetValue(kind, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(kind), kind, "no single event name");

    /// <summary>Events that change an agent's state (and so are folded where the input is consumed).</summary>
    public static bool ChangesAgent(this EventKind kind) => kind is EventKind.AgentLogin or EventKind.AgentLogout
        or EventKind.QueueLogout or EventKind.AgentReady or EventKind.AgentNotReady or EventKind.AgentReserved;

    /// <summary>Events that change the state of the DN they name in ThisDN (and so are re-keyed by DN).</summary>
    public static bool ChangesDn(this EventKind kind) => kind != EventKind.NoStateRule;
}
