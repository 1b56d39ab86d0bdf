using System.Globalization;
using AgentStateProcessor.Avro;
using AgentStateProcessor.Domain;
using AgentStateProcessor.Domain.Events;

namespace AgentStateProcessor.Processing.Intake;

/// <summary>
/// Reduces a validated event record to the <see cref="VoiceEvent"/> the fold reads. Identity comes
/// from the message key <c>tenant:agent</c>; without one, from the event's CustomerID and AgentID.
/// </summary>
internal static class VoiceEventMapper
{
    public static VoiceEvent? Map(GenericRecord record, InputRecord input)
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
            var customer = Text(record, "CustomerID");
            if (string.IsNullOrEmpty(customer)) return null;
            tenantId = customer;
            agentId = Text(record, "AgentID");
        }

        var name = record.Schema.Name;
        return new VoiceEvent(
            Name: name,
            Kind: EventKinds.Of(name),
            TenantId: tenantId,
            AgentId: string.IsNullOrEmpty(agentId) ? null : agentId,
            ThisDn: Text(record, "ThisDN"),
            ThisQueue: Text(record, "ThisQueue"),
            OtherDn: Text(record, "OtherDN"),
            ConnId: Text(record, "ConnID"),
            WorkMode: WorkMode(record),
            ReasonCode: ReasonCode(record),
            TimeMicros: Field(record, "time") is long micros ? micros : input.TimestampMicros,
            Position: input.Position);
    }

    private static object? Field(GenericRecord record, string name) =>
        record.Schema.GetField(name) is { } field ? record[field.Position] : null;

    private static string? Text(GenericRecord record, string name) => Field(record, name) as string;

    private static AgentWorkMode? WorkMode(GenericRecord record) =>
        Field(record, "AgentWorkMode") is GenericEnum symbol && Enum.TryParse<AgentWorkMode>(symbol.Symbol, out var mode)
            ? mode
            : null;

    /// <summary>The documents carry reason codes as a ReasonCode entry of Reasons, or of Extensions for hardware reasons.</summary>
    private static string? ReasonCode(GenericRecord record) =>
        ReasonCodeIn(Field(record, "Reasons")) ?? ReasonCodeIn(Field(record, "Extensions"));

    private static string? ReasonCodeIn(object? list)
    {
        if (list is not IDictionary<string, object?> entries) return null;
        foreach (var (key, value) in entries)
        {
            if (!string.Equals(key, "ReasonCode", StringComparison.OrdinalIgnoreCase)) continue;
            return value switch
            {
                null => null,
                string s => s,
                bool b => b ? "true" : "false",
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString(),
            };
        }
        return null;
    }
}
