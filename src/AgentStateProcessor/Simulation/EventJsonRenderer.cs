using System.Buffers;
using System.Text.Json;
using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.Schemas;

namespace AgentStateProcessor.Simulation;

/// <summary>
/// Renders simulated events as <c>voice-agentstate</c> JSON values, in the variations real feeds show: the
/// four time encodings, AgentWorkMode as number or name, the reason code in Reasons or Extensions, optional
/// attributes present or not, Extensions with nested objects and arrays. Attribute names and the attributes
/// each event carries follow schemas/tables/voice-agentstate-events.json and the extension tables
/// (schemas/tables/extensions).
/// </summary>
internal sealed class EventJsonRenderer
{
    private static readonly JsonEncodedText[] EventNames =
        [.. Enum.GetValues<EventKind>().Select(kind => kind == EventKind.NoStateRule ? default : JsonEncodedText.Encode(EventKinds.NameOf(kind)))];

    private static readonly string[] ReasonCodes = ["Break", "Lunch", "Training", "Meeting", "Coaching"];

    /// <summary>
    /// What the processor skips without an error: the extension events without a state rule (monitoring and
    /// listen) and one T-Library event no table describes (EventPartyInfo, answered to a call query).
    /// </summary>
    private static readonly string[] SkippedEvents =
    [
        .. EventSchemaSet.LoadEmbedded().ExtensionEventNames.Where(name => EventKinds.Of(name) == EventKind.NoStateRule),
        "EventPartyInfo",
    ];

    private readonly Random random;
    private readonly ArrayBufferWriter<byte> buffer = new(1024);

    public EventJsonRenderer(Random random)
    {
        this.random = random;
        // Validation off: the writer is only ever driven by this simulator's code, and it is faster without.
        Json = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
    }

    /// <summary>The writer of the value being rendered; <see cref="InvalidRecords"/> writes through it too.</summary>
    public Utf8JsonWriter Json { get; }

    /// <summary>Starts a new value.</summary>
    public void Reset()
    {
        buffer.ResetWrittenCount();
        Json.Reset(buffer);
    }

    /// <summary>The bytes rendered since <see cref="Reset"/>.</summary>
    public ReadOnlySpan<byte> Written
    {
        get
        {
            Json.Flush();
            return buffer.WrittenSpan;
        }
    }

    public static JsonEncodedText NameOf(EventKind kind) => EventNames[(int)kind];

    public void WriteEvent(SimulatedAgent agent, AgentEvent agentEvent, DateTimeOffset timestamp)
    {
        var json = Json;
        json.WriteStartObject();
        json.WriteString(Names.Id, NameOf(agentEvent.Kind));
        switch (agentEvent.Kind)
        {
            case EventKind.AgentLogin:
                WriteAgentEventHeader(agent, timestamp);
                json.WriteString(Names.ThisQueue, agentEvent.Queue);
                WriteOptionalReferenceId();
                WriteOptionalExtensions(reasonCode: null);
                break;

            case EventKind.QueueLogout:
                WriteAgentEventHeader(agent, timestamp);
                json.WriteString(Names.ThisQueue, agentEvent.Queue);
                WriteOptionalExtensions(reasonCode: null);
                break;

            case EventKind.MessageWaitingOn or EventKind.MessageWaitingOff:
                WriteDnEventHeader(agent, timestamp);
                break;

            case EventKind.AgentLogout:
                WriteAgentEventHeader(agent, timestamp);
                if (random.Next(2) == 0)
                {
                    json.WriteString(Names.ThisQueue, agent.Queues[0]);
                }

                WriteOptionalExtensions(reasonCode: null);
                break;

            case EventKind.AgentReady:
                WriteAgentEventHeader(agent, timestamp);
                WriteWorkMode(random.Next(3) == 0 ? AgentWorkMode.AgentManualIn : AgentWorkMode.AgentAutoIn);
                WriteOptionalExtensions(reasonCode: null);
                break;

            case EventKind.AgentNotReady:
                WriteAgentEventHeader(agent, timestamp);
                WriteNotReadyDetails();
                break;

            case EventKind.DnOutOfService or EventKind.DnBackInService:
                // These two tables list only id, ThisDN and Extensions: no time, so the processor
                // must fall back to the Kafka timestamp.
                json.WriteString(Names.ThisDN, agent.Dn);
                if (random.Next(3) == 0)
                {
                    json.WriteStartObject(Names.Extensions);
                    json.WriteString("OutOfServiceCause", "LinkDown");
                    json.WriteEndObject();
                }

                break;

            case EventKind.DndOn or EventKind.DndOff or EventKind.ForwardCancel:
                WriteDnEventHeader(agent, timestamp);
                WriteOptionalReferenceId();
                break;

            case EventKind.ForwardSet:
                WriteDnEventHeader(agent, timestamp);
                json.WriteString(Names.OtherDN, agentEvent.ForwardTo);
                WriteOptionalReferenceId();
                break;

            case EventKind.OffHook:
                WriteDnEventHeader(agent, timestamp);
                json.WriteString(Names.ConnID, agentEvent.ConnId);
                if (random.Next(4) == 0)
                {
                    json.WriteStartObject(Names.UserData);
                    json.WriteString("Language", "en-US");
                    json.WriteNumber("Priority", random.Next(1, 6));
                    json.WriteEndObject();
                }

                break;

            case EventKind.OnHook:
                WriteDnEventHeader(agent, timestamp);
                json.WriteString(Names.ConnID, agentEvent.ConnId);
                break;

            case EventKind.MuteOn or EventKind.MuteOff:
                // The mute tables list neither Server nor time.
                json.WriteString(Names.ConnID, agentEvent.ConnId);
                json.WriteString(Names.ThisDNRole, "RoleDestination");
                json.WriteString(Names.ThisDN, agent.Dn);
                json.WriteString(Names.CustomerID, agent.TenantId);
                if (agentEvent.Kind == EventKind.MuteOff)
                {
                    WriteOptionalReferenceId();
                }

                break;

            default:
                throw new ArgumentOutOfRangeException(nameof(agentEvent), agentEvent.Kind, null);
        }

        json.WriteEndObject();
    }

    /// <summary>An event the processor skips (<see cref="SkippedEvents"/>), with the attributes the agent's events carry.</summary>
    public void WriteSkippedEvent(SimulatedAgent agent, DateTimeOffset timestamp)
    {
        Json.WriteStartObject();
        Json.WriteString(Names.Id, SkippedEvents[random.Next(SkippedEvents.Length)]);
        WriteAgentEventHeader(agent, timestamp);
        Json.WriteEndObject();
    }

    public void WriteAgentEventHeader(SimulatedAgent agent, DateTimeOffset timestamp)
    {
        Json.WriteString(Names.Server, agent.Server);
        Json.WriteString(Names.ThisDN, agent.Dn);
        WriteTime(timestamp);
        Json.WriteString(Names.AgentID, agent.AgentId);
        Json.WriteString(Names.CustomerID, agent.TenantId);
    }

    private void WriteDnEventHeader(SimulatedAgent agent, DateTimeOffset timestamp)
    {
        Json.WriteString(Names.Server, agent.Server);
        Json.WriteString(Names.ThisDN, agent.Dn);
        WriteTime(timestamp);
        Json.WriteString(Names.CustomerID, agent.TenantId);
    }

    // Real feeds differ in how they encode time; epoch seconds is by far the most common.
    public void WriteTime(DateTimeOffset timestamp)
    {
        var milliseconds = timestamp.ToUnixTimeMilliseconds();
        switch (random.Next(10))
        {
            case < 4:
                Json.WriteNumber(Names.Time, timestamp.ToUnixTimeSeconds());
                break;
            case < 8:
                Json.WriteNumber(Names.Time, milliseconds / 1000m);
                break;
            case 8:
                Json.WriteStartObject(Names.Time);
                Json.WriteNumber(Names.TimeInSeconds, Math.DivRem(milliseconds, 1000, out var remainder));
                Json.WriteNumber(Names.TimeInMicroseconds, remainder * 1000);
                Json.WriteEndObject();
                break;
            default:
                Json.WriteString(Names.Time, timestamp.ToUniversalTime());
                break;
        }
    }

    // T-Library enumerations travel as their number, or sometimes as their name.
    private void WriteWorkMode(AgentWorkMode workMode)
    {
        if (random.Next(7) == 0)
        {
            Json.WriteString(Names.AgentWorkMode, workMode.ToString());
        }
        else
        {
            Json.WriteNumber(Names.AgentWorkMode, (int)workMode);
        }
    }

    private void WriteNotReadyDetails()
    {
        var kind = random.Next(10);
        if (kind < 3)
        {
            // After-call work: no reason code; sometimes the optional AgentWorkMode is left out.
            if (kind > 0)
            {
                WriteWorkMode(AgentWorkMode.AgentAfterCallWork);
            }

            WriteOptionalExtensions(reasonCode: null);
            return;
        }

        WriteWorkMode(AgentWorkMode.AgentAuxWork);
        var reasonCode = ReasonCodes[random.Next(ReasonCodes.Length)];
        if (random.Next(2) == 0)
        {
            Json.WriteStartObject(Names.Reasons);
            Json.WriteString(Names.ReasonCode, reasonCode);
            Json.WriteEndObject();
        }
        else
        {
            WriteExtensions(reasonCode);
        }
    }

    private void WriteOptionalReferenceId()
    {
        if (random.Next(10) == 0)
        {
            Json.WriteNumber(Names.ReferenceID, random.Next(1, 1_000_000));
        }
    }

    private void WriteOptionalExtensions(string? reasonCode)
    {
        if (random.Next(6) == 0)
        {
            WriteExtensions(reasonCode);
        }
    }

    // Extensions carry more than the documents describe, including nested objects and arrays.
    private void WriteExtensions(string? reasonCode)
    {
        Json.WriteStartObject(Names.Extensions);
        if (reasonCode is not null)
        {
            Json.WriteString(Names.ReasonCode, reasonCode);
        }

        switch (random.Next(4))
        {
            case 0:
                Json.WriteString("AgentSessionID", SimulatedAgent.NewConnId(random));
                break;
            case 1:
                Json.WriteBoolean("IsSupervisor", false);
                Json.WriteNumber("Priority", random.Next(1, 10));
                break;
            case 2:
                Json.WriteStartObject("Site");
                Json.WriteString("Region", "eu-west");
                Json.WriteStartArray("Skills");
                Json.WriteStringValue("billing");
                Json.WriteStringValue("sales");
                Json.WriteEndArray();
                Json.WriteEndObject();
                break;
        }

        Json.WriteEndObject();
    }

    /// <summary>Attribute names, encoded once.</summary>
    public static class Names
    {
        public static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
        public static readonly JsonEncodedText Server = JsonEncodedText.Encode("Server");
        public static readonly JsonEncodedText ThisDN = JsonEncodedText.Encode("ThisDN");
        public static readonly JsonEncodedText ThisDNRole = JsonEncodedText.Encode("ThisDNRole");
        public static readonly JsonEncodedText ThisQueue = JsonEncodedText.Encode("ThisQueue");
        public static readonly JsonEncodedText OtherDN = JsonEncodedText.Encode("OtherDN");
        public static readonly JsonEncodedText Time = JsonEncodedText.Encode("time");
        public static readonly JsonEncodedText TimeInSeconds = JsonEncodedText.Encode("timeinSecs");
        public static readonly JsonEncodedText TimeInMicroseconds = JsonEncodedText.Encode("timeinuSecs");
        public static readonly JsonEncodedText AgentID = JsonEncodedText.Encode("AgentID");
        public static readonly JsonEncodedText CustomerID = JsonEncodedText.Encode("CustomerID");
        public static readonly JsonEncodedText AgentWorkMode = JsonEncodedText.Encode("AgentWorkMode");
        public static readonly JsonEncodedText Reasons = JsonEncodedText.Encode("Reasons");
        public static readonly JsonEncodedText Extensions = JsonEncodedText.Encode("Extensions");
        public static readonly JsonEncodedText ReasonCode = JsonEncodedText.Encode("ReasonCode");
        public static readonly JsonEncodedText ReferenceID = JsonEncodedText.Encode("ReferenceID");
        public static readonly JsonEncodedText ConnID = JsonEncodedText.Encode("ConnID");
        public static readonly JsonEncodedText UserData = JsonEncodedText.Encode("UserData");
    }
}
