using AgentStateProcessor.Domain.Events;

namespace AgentStateProcessor.Domain.Tests;

/// <summary>
/// Builds <see cref="VoiceEvent"/>s for fold tests. <c>at</c> is seconds after <see cref="Epoch"/>
/// (the fold works in microseconds; <see cref="Time"/> converts), so scenarios read in small numbers.
/// It lives in the tests' root namespace so that <c>Events</c> there means this class, not the
/// Domain's <c>Events</c> namespace.
/// </summary>
internal static class Events
{
    public const string Topic = "voice-agentstate";
    public const string Tenant = "t1";
    public const long Epoch = 1_700_000_000_000_000;

    public static long Time(int at) => Epoch + at * 1_000_000L;

    public static VoiceEvent Login(string? agent = "a1", string? dn = "1001", string? queue = null, int at = 0,
        long offset = 0, int partition = 0, AgentWorkMode? workMode = null, string tenant = Tenant) =>
        Of(EventKind.AgentLogin, agent, dn, at, offset, partition, tenant) with { ThisQueue = queue, WorkMode = workMode };

    public static VoiceEvent Logout(string? agent = "a1", string? dn = "1001", string? queue = null, int at = 0,
        long offset = 0, int partition = 0, string? reason = null, string tenant = Tenant) =>
        Of(EventKind.AgentLogout, agent, dn, at, offset, partition, tenant) with { ThisQueue = queue, ReasonCode = reason };

    public static VoiceEvent QueueLogout(string? agent = "a1", string? dn = "1001", string? queue = null, int at = 0,
        long offset = 0, int partition = 0, string? reason = null, string tenant = Tenant) =>
        Of(EventKind.QueueLogout, agent, dn, at, offset, partition, tenant) with { ThisQueue = queue, ReasonCode = reason };

    public static VoiceEvent Ready(string? agent = "a1", string? dn = "1001", int at = 0, long offset = 0,
        int partition = 0, AgentWorkMode? workMode = null, string? reason = null, string tenant = Tenant) =>
        Of(EventKind.AgentReady, agent, dn, at, offset, partition, tenant) with { WorkMode = workMode, ReasonCode = reason };

    public static VoiceEvent NotReady(string? agent = "a1", string? dn = "1001", int at = 0, long offset = 0,
        int partition = 0, AgentWorkMode? workMode = null, string? reason = null, string tenant = Tenant) =>
        Of(EventKind.AgentNotReady, agent, dn, at, offset, partition, tenant) with { WorkMode = workMode, ReasonCode = reason };

    public static VoiceEvent Reserved(string? agent = "a1", string? dn = "1001", int at = 0, long offset = 0,
        int partition = 0, string tenant = Tenant) =>
        Of(EventKind.AgentReserved, agent, dn, at, offset, partition, tenant);

    public static VoiceEvent Forward(string? otherDn, string? agent = null, string? dn = "1001", int at = 0,
        long offset = 0, int partition = 0, string tenant = Tenant) =>
        Of(EventKind.ForwardSet, agent, dn, at, offset, partition, tenant) with { OtherDn = otherDn };

    public static VoiceEvent MuteOn(string? connId, string? agent = null, string? dn = "1001", int at = 0,
        long offset = 0, int partition = 0, string tenant = Tenant) =>
        Of(EventKind.MuteOn, agent, dn, at, offset, partition, tenant) with { ConnId = connId };

    public static VoiceEvent MuteOff(string? connId, string? agent = null, string? dn = "1001", int at = 0,
        long offset = 0, int partition = 0, string tenant = Tenant) =>
        Of(EventKind.MuteOff, agent, dn, at, offset, partition, tenant) with { ConnId = connId };

    /// <summary>Any event with only the common fields, e.g. the DN events without parameters of their own.</summary>
    public static VoiceEvent Of(EventKind kind, string? agent = null, string? dn = "1001", int at = 0, long offset = 0,
        int partition = 0, string tenant = Tenant) =>
        new(NameOf(kind), kind, tenant, agent, dn, ThisQueue: null, OtherDn: null, ConnId: null, WorkMode: null,
            ReasonCode: null, Time(at), new InputPosition(Topic, partition, offset));

    /// <summary>The wire name of each kind; <see cref="EventKind.NoStateRule"/> stands for a call event.</summary>
    public static string NameOf(EventKind kind) => kind == EventKind.NoStateRule ? "EventRinging" : EventKinds.NameOf(kind);
}
