using AgentStateProcessor.Domain;
using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.Schemas;

namespace AgentStateProcessor.Processing.Intake;

/// <summary>
/// Turns a validated event into the <see cref="VoiceEvent"/> the fold reads. Identity comes
/// from the message key <c>tenant:agent</c>; without one, from the event's CustomerID and AgentID.
/// Text that repeats across agents (tenant, queue, reason code, topic) comes from the pool, so
/// states keep shared instances instead of each record's copies.
/// </summary>
internal static class VoiceEventMapper
{
    public static VoiceEvent? Map(in ValidatedEvent validated, InputRecord input, InternPool pool)
    {
        string tenantId;
        string? agentId;
        if (input.Key is { } key && StateKeys.SeparatorOf(key) is var colon and >= 0)
        {
            tenantId = pool.Intern(key.AsSpan(0, colon));
            agentId = key[(colon + 1)..];
        }
        else
        {
            if (string.IsNullOrEmpty(validated.CustomerId)) return null;
            tenantId = pool.Intern(validated.CustomerId);
            agentId = validated.AgentId;
        }

        return new VoiceEvent(
            Name: validated.Name,
            Kind: EventKinds.Of(validated.Name),
            TenantId: tenantId,
            AgentId: string.IsNullOrEmpty(agentId) ? null : agentId,
            ThisDn: validated.ThisDn,
            ThisQueue: pool.Intern(validated.ThisQueue),
            OtherDn: validated.OtherDn,
            ConnId: validated.ConnId,
            WorkMode: validated.AgentWorkMode is { } symbol && Enum.TryParse<AgentWorkMode>(symbol, out var mode) ? mode : null,
            ReasonCode: pool.Intern(validated.ReasonCode),
            TimeMicros: validated.TimeMicros ?? input.TimestampMicros,
            Position: input.Position with { Topic = pool.Intern(input.Position.Topic) });
    }
}
