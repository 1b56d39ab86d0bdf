using AgentStateProcessor.Domain;
using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.Schemas;

namespace AgentStateProcessor.Processing.Intake;

/// <summary>
/// Turns a validated event into the <see cref="VoiceEvent"/> the fold reads. Identity comes
/// from the message key <c>tenant:agent</c>; without one, from the event's CustomerID and AgentID.
/// </summary>
internal static class VoiceEventMapper
{
    public static VoiceEvent? Map(in ValidatedEvent validated, InputRecord input)
    {
        string tenantId;
        string? agentId;
        if (input.Key is not null && StateKeys.TrySplit(input.Key, out var keyTenant, out var keyAgent))
        {
            tenantId = keyTenant;
            agentId = keyAgent;
        }
        else
        {
            if (string.IsNullOrEmpty(validated.CustomerId)) return null;
            tenantId = validated.CustomerId;
            agentId = validated.AgentId;
        }

        return new VoiceEvent(
            Name: validated.Name,
            Kind: EventKinds.Of(validated.Name),
            TenantId: tenantId,
            AgentId: string.IsNullOrEmpty(agentId) ? null : agentId,
            ThisDn: validated.ThisDn,
            ThisQueue: validated.ThisQueue,
            OtherDn: validated.OtherDn,
            ConnId: validated.ConnId,
            WorkMode: validated.AgentWorkMode is { } symbol && Enum.TryParse<AgentWorkMode>(symbol, out var mode) ? mode : null,
            ReasonCode: validated.ReasonCode,
            TimeMicros: validated.TimeMicros ?? input.TimestampMicros,
            Position: input.Position);
    }
}
