using System.Globalization;
using AgentStateProcessor.Domain;
using AgentStateProcessor.Domain.Events;

namespace AgentStateProcessor.Simulation;

/// <summary>
/// One simulated agent at one phone: who it is, and the state machine of what it does next (log in to its
/// queues, leave one of several queues or the last, go ready and not ready, take calls, mute, set DND and forwarding, get a
/// message waiting, lose its DN for a while, log out).
/// Only events that make sense in the agent's current state are chosen, so the sequence per agent is what a
/// real switch would report and the processor's fold never sees e.g. a ready agent who never logged in.
/// </summary>
internal sealed class SimulatedAgent(string tenantId, string agentId, string dn, string[] queues, string server)
{
    private static readonly int KindCount = Enum.GetValues<EventKind>().Length;

    public string TenantId { get; } = tenantId;
    public string AgentId { get; } = agentId;
    public string Dn { get; } = dn;
    public string[] Queues { get; } = queues;
    public string Server { get; } = server;
    public string Key { get; } = $"{tenantId}:{agentId}";

    private AgentStatus _status = AgentStatus.LoggedOut;
    private int _queuesLoggedIn;
    private string? _connId;
    private bool _muted, _dnd, _outOfService, _messageWaiting;
    private string? _forwardTo;

    /// <summary>The next event, weighted by what agents typically do in the current state.</summary>
    public EventKind ChooseNextEvent(Random random)
    {
        if (_outOfService)
        {
            // "Between EventDNOutOfService and EventDNBackInService ... no events should be expected."
            return EventKind.DnBackInService;
        }

        if (_status == AgentStatus.LoggedOut)
        {
            return EventKind.AgentLogin;
        }

        var onCall = _connId is not null;
        Span<int> weights = stackalloc int[KindCount];
        weights[(int)EventKind.AgentLogin] = _queuesLoggedIn < Queues.Length ? 30 : 1;
        weights[(int)EventKind.AgentReady] = _status == AgentStatus.Ready ? 0 : 20;
        weights[(int)EventKind.AgentNotReady] = 12;
        weights[(int)EventKind.OffHook] = onCall ? 0 : 14;
        weights[(int)EventKind.OnHook] = onCall && !_muted ? 14 : 0;
        weights[(int)EventKind.MuteOn] = onCall && !_muted ? 6 : 0;
        weights[(int)EventKind.MuteOff] = _muted ? 10 : 0;
        weights[(int)EventKind.DndOn] = _dnd ? 0 : 2;
        weights[(int)EventKind.DndOff] = _dnd ? 4 : 0;
        weights[(int)EventKind.ForwardSet] = _forwardTo is null ? 2 : 0;
        weights[(int)EventKind.ForwardCancel] = _forwardTo is null ? 0 : 4;
        weights[(int)EventKind.DnOutOfService] = onCall ? 0 : 1;
        weights[(int)EventKind.AgentLogout] = onCall ? 0 : 2;
        // Leaving one of several queues; leaving the last one is a logout (docs/fold-rules.md), which some
        // switches report with EventQueueLogout alone, as the one-queue Platform SDK sample receives it.
        weights[(int)EventKind.QueueLogout] = _queuesLoggedIn > 1 ? 4 : onCall ? 0 : 1;
        weights[(int)EventKind.MessageWaitingOn] = _messageWaiting ? 0 : 1;
        weights[(int)EventKind.MessageWaitingOff] = _messageWaiting ? 3 : 0;

        var total = 0;
        foreach (var weight in weights) total += weight;
        var pick = random.Next(total);
        for (var kind = 0; kind < weights.Length; kind++)
        {
            pick -= weights[kind];
            if (pick < 0)
            {
                return (EventKind)kind;
            }
        }

        throw new InvalidOperationException("Event weights are inconsistent.");
    }

    /// <summary>Moves the agent's state on by <paramref name="kind"/>; returns what the event's record reports.</summary>
    public AgentEvent Apply(EventKind kind, Random random)
    {
        switch (kind)
        {
            case EventKind.AgentLogin:
                var queue = _queuesLoggedIn < Queues.Length ? Queues[_queuesLoggedIn++] : Queues[random.Next(Queues.Length)];
                if (_status == AgentStatus.LoggedOut) _status = AgentStatus.LoggedIn;
                return new AgentEvent(kind, Queue: queue);
            case EventKind.AgentLogout:
                _status = AgentStatus.LoggedOut;
                _queuesLoggedIn = 0;
                break;
            case EventKind.QueueLogout:
                // Queues are joined in order, so the ones logged in to are the first _queuesLoggedIn.
                var left = Queues[--_queuesLoggedIn];
                if (_queuesLoggedIn == 0) _status = AgentStatus.LoggedOut;
                return new AgentEvent(kind, Queue: left);
            case EventKind.MessageWaitingOn or EventKind.MessageWaitingOff:
                _messageWaiting = kind == EventKind.MessageWaitingOn;
                break;
            case EventKind.AgentReady:
                _status = AgentStatus.Ready;
                break;
            case EventKind.AgentNotReady:
                _status = AgentStatus.NotReady;
                break;
            case EventKind.DnOutOfService or EventKind.DnBackInService:
                _outOfService = kind == EventKind.DnOutOfService;
                break;
            case EventKind.DndOn or EventKind.DndOff:
                _dnd = kind == EventKind.DndOn;
                break;
            case EventKind.ForwardSet:
                _forwardTo = $"+1555{random.Next(10_000_000):D7}";
                return new AgentEvent(kind, ForwardTo: _forwardTo);
            case EventKind.ForwardCancel:
                _forwardTo = null;
                break;
            case EventKind.OffHook:
                _connId = NewConnId(random);
                return new AgentEvent(kind, ConnId: _connId);
            case EventKind.OnHook:
                var ended = _connId;
                _connId = null;
                return new AgentEvent(kind, ConnId: ended);
            case EventKind.MuteOn or EventKind.MuteOff:
                _muted = kind == EventKind.MuteOn;
                return new AgentEvent(kind, ConnId: _connId);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "the simulator does not produce this event");
        }
        return new AgentEvent(kind);
    }

    /// <summary>A T-Server style connection id: 16 hex digits.</summary>
    public static string NewConnId(Random random) => random.NextInt64().ToString("x16", CultureInfo.InvariantCulture);
}

/// <summary>An event of a simulated agent, with what its state machine decided: the queue, the call, the forwarding target.</summary>
internal readonly record struct AgentEvent(EventKind Kind, string? Queue = null, string? ConnId = null, string? ForwardTo = null);
