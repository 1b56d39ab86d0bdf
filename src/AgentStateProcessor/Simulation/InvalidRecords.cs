using AgentStateProcessor.Domain.Events;
using Names = AgentStateProcessor.Simulation.EventJsonRenderer.Names;

namespace AgentStateProcessor.Simulation;

/// <summary>
/// Values the processor must dead-letter, one of each kind it names with a stable code: malformed JSON, a
/// missing mandatory attribute, no ThisDN, a wrong type, an enumeration value out of range, and values that
/// are not an event object at all. Writing one never changes an agent's state.
/// </summary>
internal sealed class InvalidRecords(Random random, EventJsonRenderer renderer)
{
    private enum Variant { MalformedJson, MissingMandatoryAttribute, MissingThisDn, WrongType, BadEnumValue, Garbage }

    private static readonly int VariantCount = Enum.GetValues<Variant>().Length;

    private static readonly byte[][] Garbage =
    [
        "[1,2,3]"u8.ToArray(),
        "\"EventAgentReady\""u8.ToArray(),
        "null"u8.ToArray(),
        """{"hello":"world","n":1}"""u8.ToArray(),
        "<Event id=\"EventAgentReady\"/>"u8.ToArray(),
        [0xFF, 0xFE, 0x01, 0x02, 0x7B],
    ];

    /// <summary>An invalid value of the agent's, after the renderer was reset.</summary>
    public byte[] Write(SimulatedAgent agent, DateTimeOffset timestamp)
    {
        var json = renderer.Json;
        switch ((Variant)random.Next(VariantCount))
        {
            case Variant.MalformedJson:
                json.WriteStartObject();
                json.WriteString(Names.Id, EventJsonRenderer.NameOf(EventKind.AgentNotReady));
                renderer.WriteAgentEventHeader(agent, timestamp);
                json.WriteEndObject();
                var whole = renderer.Written;
                // Every proper prefix of a JSON object is malformed: the object only closes at the last byte.
                return whole[..random.Next(1, whole.Length)].ToArray();

            case Variant.MissingMandatoryAttribute:
                json.WriteStartObject();
                json.WriteString(Names.Id, EventJsonRenderer.NameOf(EventKind.AgentReady));
                renderer.WriteAgentEventHeader(agent, timestamp); // but no AgentWorkMode, mandatory for EventAgentReady
                json.WriteEndObject();
                break;

            case Variant.MissingThisDn:
                json.WriteStartObject();
                json.WriteString(Names.Id, EventJsonRenderer.NameOf(EventKind.OffHook));
                json.WriteString(Names.Server, agent.Server);
                renderer.WriteTime(timestamp);
                json.WriteString(Names.CustomerID, agent.TenantId);
                json.WriteEndObject();
                break;

            case Variant.WrongType:
                // Not ThisDN as a number: the schema's string attributes accept JSON numbers, as feeds
                // render numeric identifiers either way (schemas/tables/attribute-types.json).
                json.WriteStartObject();
                json.WriteString(Names.Id, EventJsonRenderer.NameOf(EventKind.DndOn));
                json.WriteString(Names.Server, agent.Server);
                if (random.Next(2) == 0)
                {
                    json.WriteStartArray(Names.ThisDN);
                    json.WriteStringValue(agent.Dn);
                    json.WriteEndArray();
                }
                else
                {
                    json.WriteString(Names.ThisDN, agent.Dn);
                    json.WriteString(Names.ReferenceID, "ref-" + agent.Dn);
                }

                renderer.WriteTime(timestamp);
                json.WriteEndObject();
                break;

            case Variant.BadEnumValue:
                json.WriteStartObject();
                json.WriteString(Names.Id, EventJsonRenderer.NameOf(EventKind.AgentReady));
                renderer.WriteAgentEventHeader(agent, timestamp);
                if (random.Next(2) == 0)
                {
                    json.WriteNumber(Names.AgentWorkMode, 42);
                }
                else
                {
                    json.WriteString(Names.AgentWorkMode, "AgentOnVacation");
                }

                json.WriteEndObject();
                break;

            case Variant.Garbage:
                return (byte[])Garbage[random.Next(Garbage.Length)].Clone();

            default:
                throw new InvalidOperationException("Unknown invalid variant.");
        }

        return renderer.Written.ToArray();
    }
}
