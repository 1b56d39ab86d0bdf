using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace AgentStateProcessor.Simulation;

/// <summary>
/// A seeded, deterministic contact center: agents log in to ACD queues, go ready and not ready, take calls
/// (off hook, mute, on hook), set DND and forwarding, lose their DN for a while and log out, producing
/// <c>voice-agentstate</c> records as Voice Microservices would. Attribute names and the attributes each
/// event carries follow schemas/tables/voice-agentstate-events.json. A configurable share
/// of records is invalid (must be dead-lettered) or carries events the tables do not describe.
/// </summary>
internal sealed class ContactCenterSimulator
{
    private readonly ContactCenterSimulatorOptions options;

    public ContactCenterSimulator(ContactCenterSimulatorOptions options)
    {
        options.Validate();
        this.options = options;
    }

    /// <summary>An endless sequence; every enumeration starts again from the seed and yields the same records.</summary>
    public IEnumerable<SimulatedRecord> Generate()
    {
        var run = new SimulationRun(options);
        while (true)
        {
            yield return run.Next();
        }
    }

    public IEnumerable<SimulatedRecord> Generate(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Generate().Take(count);
    }

    /// <summary>The simulation's mutable state: one per enumeration, never shared.</summary>
    private sealed class SimulationRun
    {
        private readonly ContactCenterSimulatorOptions options;
        private readonly Random random;
        private readonly SimulatedAgent[] agents;
        private readonly string[] servers;
        private readonly ArrayBufferWriter<byte> buffer = new(1024);
        private readonly Utf8JsonWriter json;
        private readonly int[] weights = new int[VoiceEventCount];
        private long sequence;

        public SimulationRun(ContactCenterSimulatorOptions options)
        {
            this.options = options;
            random = new Random(options.Seed);
            // Validation off: the writer is only ever driven by the code below, and it is faster without.
            json = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
            servers = Enumerable.Range(1, options.TenantCount).Select(tenant => $"voice-sip-{tenant:D2}").ToArray();
            agents = CreateAgents();
        }

        public SimulatedRecord Next()
        {
            var timestamp = options.StartTime + options.TimeStep * sequence++;
            var agent = agents[random.Next(agents.Length)];
            var roll = random.NextDouble();
            buffer.ResetWrittenCount();
            json.Reset(buffer);

            SimulatedRecordKind kind;
            if (roll < options.InvalidShare)
            {
                kind = SimulatedRecordKind.Invalid;
                if (!TryWriteInvalid(agent, timestamp, out var rawValue))
                {
                    return new SimulatedRecord(agent.Key, rawValue, timestamp, kind);
                }
            }
            else if (roll < options.InvalidShare + options.UnknownEventShare)
            {
                kind = SimulatedRecordKind.Unknown;
                WriteUnknownEvent(agent, timestamp);
            }
            else
            {
                kind = SimulatedRecordKind.Valid;
                WriteValidEvent(agent, ChooseNextEvent(agent), timestamp);
            }

            json.Flush();
            return new SimulatedRecord(agent.Key, buffer.WrittenSpan.ToArray(), timestamp, kind);
        }

        private SimulatedAgent[] CreateAgents()
        {
            var result = new SimulatedAgent[options.AgentCount];
            for (var index = 0; index < result.Length; index++)
            {
                var tenantIndex = index % options.TenantCount;
                var numberInTenant = index / options.TenantCount;
                var firstQueue = random.Next(options.QueuesPerTenant);
                var queues = options.QueuesPerTenant > 1 && random.Next(3) == 0
                    ? new[] { QueueDn(firstQueue), QueueDn((firstQueue + 1) % options.QueuesPerTenant) }
                    : new[] { QueueDn(firstQueue) };
                result[index] = new SimulatedAgent(
                    tenantId: $"tenant-{tenantIndex + 1:D2}",
                    agentId: $"agent-{numberInTenant + 1:D4}",
                    dn: (70000 + numberInTenant).ToString(CultureInfo.InvariantCulture),
                    queues: queues,
                    server: servers[tenantIndex]);
            }

            return result;

            static string QueueDn(int queue) => (8000 + queue).ToString(CultureInfo.InvariantCulture);
        }

        // Only events that make sense in the agent's current state: the sequence per agent is what a real
        // switch would report, so the processor's fold never sees e.g. a ready agent who never logged in.
        private VoiceEvent ChooseNextEvent(SimulatedAgent agent)
        {
            if (agent.OutOfService)
            {
                // "Between EventDNOutOfService and EventDNBackInService ... no events should be expected."
                return VoiceEvent.DNBackInService;
            }

            if (agent.Phase == AgentPhase.LoggedOut)
            {
                return VoiceEvent.AgentLogin;
            }

            var onCall = agent.ConnId is not null;
            Array.Clear(weights);
            weights[(int)VoiceEvent.AgentLogin] = agent.QueuesLoggedIn < agent.Queues.Length ? 30 : 1;
            weights[(int)VoiceEvent.AgentReady] = agent.Phase == AgentPhase.Ready ? 0 : 20;
            weights[(int)VoiceEvent.AgentNotReady] = 12;
            weights[(int)VoiceEvent.OffHook] = onCall ? 0 : 14;
            weights[(int)VoiceEvent.OnHook] = onCall && !agent.Muted ? 14 : 0;
            weights[(int)VoiceEvent.MuteOn] = onCall && !agent.Muted ? 6 : 0;
            weights[(int)VoiceEvent.MuteOff] = agent.Muted ? 10 : 0;
            weights[(int)VoiceEvent.DNDOn] = agent.Dnd ? 0 : 2;
            weights[(int)VoiceEvent.DNDOff] = agent.Dnd ? 4 : 0;
            weights[(int)VoiceEvent.ForwardSet] = agent.ForwardTo is null ? 2 : 0;
            weights[(int)VoiceEvent.ForwardCancel] = agent.ForwardTo is null ? 0 : 4;
            weights[(int)VoiceEvent.DNOutOfService] = onCall ? 0 : 1;
            weights[(int)VoiceEvent.AgentLogout] = onCall ? 0 : 2;

            var pick = random.Next(weights.Sum());
            for (var voiceEvent = 0; voiceEvent < weights.Length; voiceEvent++)
            {
                pick -= weights[voiceEvent];
                if (pick < 0)
                {
                    return (VoiceEvent)voiceEvent;
                }
            }

            throw new InvalidOperationException("Event weights are inconsistent.");
        }

        private void WriteValidEvent(SimulatedAgent agent, VoiceEvent voiceEvent, DateTimeOffset timestamp)
        {
            json.WriteStartObject();
            json.WriteString(Names.Id, EventNames[(int)voiceEvent]);
            switch (voiceEvent)
            {
                case VoiceEvent.AgentLogin:
                    var queue = agent.QueuesLoggedIn < agent.Queues.Length
                        ? agent.Queues[agent.QueuesLoggedIn++]
                        : agent.Queues[random.Next(agent.Queues.Length)];
                    if (agent.Phase == AgentPhase.LoggedOut)
                    {
                        agent.Phase = AgentPhase.LoggedIn;
                    }

                    WriteAgentEventHeader(agent, timestamp);
                    json.WriteString(Names.ThisQueue, queue);
                    WriteOptionalReferenceId();
                    WriteOptionalExtensions(reasonCode: null);
                    break;

                case VoiceEvent.AgentLogout:
                    WriteAgentEventHeader(agent, timestamp);
                    if (random.Next(2) == 0)
                    {
                        json.WriteString(Names.ThisQueue, agent.Queues[0]);
                    }

                    agent.Phase = AgentPhase.LoggedOut;
                    agent.QueuesLoggedIn = 0;
                    WriteOptionalExtensions(reasonCode: null);
                    break;

                case VoiceEvent.AgentReady:
                    agent.Phase = AgentPhase.Ready;
                    WriteAgentEventHeader(agent, timestamp);
                    WriteWorkMode(random.Next(3) == 0 ? WorkMode.AgentManualIn : WorkMode.AgentAutoIn);
                    WriteOptionalExtensions(reasonCode: null);
                    break;

                case VoiceEvent.AgentNotReady:
                    agent.Phase = AgentPhase.NotReady;
                    WriteAgentEventHeader(agent, timestamp);
                    WriteNotReadyDetails();
                    break;

                case VoiceEvent.DNOutOfService or VoiceEvent.DNBackInService:
                    agent.OutOfService = voiceEvent == VoiceEvent.DNOutOfService;
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

                case VoiceEvent.DNDOn or VoiceEvent.DNDOff:
                    agent.Dnd = voiceEvent == VoiceEvent.DNDOn;
                    WriteDnEventHeader(agent, timestamp);
                    WriteOptionalReferenceId();
                    break;

                case VoiceEvent.ForwardSet:
                    agent.ForwardTo = $"+1555{random.Next(10_000_000):D7}";
                    WriteDnEventHeader(agent, timestamp);
                    json.WriteString(Names.OtherDN, agent.ForwardTo);
                    WriteOptionalReferenceId();
                    break;

                case VoiceEvent.ForwardCancel:
                    agent.ForwardTo = null;
                    WriteDnEventHeader(agent, timestamp);
                    WriteOptionalReferenceId();
                    break;

                case VoiceEvent.OffHook:
                    agent.ConnId = NewConnId();
                    WriteDnEventHeader(agent, timestamp);
                    json.WriteString(Names.ConnID, agent.ConnId);
                    if (random.Next(4) == 0)
                    {
                        json.WriteStartObject(Names.UserData);
                        json.WriteString("Language", "en-US");
                        json.WriteNumber("Priority", random.Next(1, 6));
                        json.WriteEndObject();
                    }

                    break;

                case VoiceEvent.OnHook:
                    WriteDnEventHeader(agent, timestamp);
                    json.WriteString(Names.ConnID, agent.ConnId);
                    agent.ConnId = null;
                    break;

                case VoiceEvent.MuteOn or VoiceEvent.MuteOff:
                    agent.Muted = voiceEvent == VoiceEvent.MuteOn;
                    // The mute tables list neither Server nor time.
                    json.WriteString(Names.ConnID, agent.ConnId);
                    json.WriteString(Names.ThisDNRole, "RoleDestination");
                    json.WriteString(Names.ThisDN, agent.Dn);
                    json.WriteString(Names.CustomerID, agent.TenantId);
                    if (voiceEvent == VoiceEvent.MuteOff)
                    {
                        WriteOptionalReferenceId();
                    }

                    break;

                default:
                    throw new ArgumentOutOfRangeException(nameof(voiceEvent), voiceEvent, null);
            }

            json.WriteEndObject();
        }

        private void WriteAgentEventHeader(SimulatedAgent agent, DateTimeOffset timestamp)
        {
            json.WriteString(Names.Server, agent.Server);
            json.WriteString(Names.ThisDN, agent.Dn);
            WriteTime(timestamp);
            json.WriteString(Names.AgentID, agent.AgentId);
            json.WriteString(Names.CustomerID, agent.TenantId);
        }

        private void WriteDnEventHeader(SimulatedAgent agent, DateTimeOffset timestamp)
        {
            json.WriteString(Names.Server, agent.Server);
            json.WriteString(Names.ThisDN, agent.Dn);
            WriteTime(timestamp);
            json.WriteString(Names.CustomerID, agent.TenantId);
        }

        // Real feeds differ in how they encode time; epoch seconds is by far the most common.
        private void WriteTime(DateTimeOffset timestamp)
        {
            var milliseconds = timestamp.ToUnixTimeMilliseconds();
            switch (random.Next(10))
            {
                case < 4:
                    json.WriteNumber(Names.Time, timestamp.ToUnixTimeSeconds());
                    break;
                case < 8:
                    json.WriteNumber(Names.Time, milliseconds / 1000m);
                    break;
                case 8:
                    json.WriteStartObject(Names.Time);
                    json.WriteNumber(Names.TimeInSeconds, Math.DivRem(milliseconds, 1000, out var remainder));
                    json.WriteNumber(Names.TimeInMicroseconds, remainder * 1000);
                    json.WriteEndObject();
                    break;
                default:
                    json.WriteString(Names.Time, timestamp.ToUniversalTime());
                    break;
            }
        }

        private void WriteWorkMode(WorkMode workMode)
        {
            if (random.Next(7) == 0)
            {
                json.WriteString(Names.AgentWorkMode, WorkModeNames[(int)workMode]);
            }
            else
            {
                json.WriteNumber(Names.AgentWorkMode, (int)workMode);
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
                    WriteWorkMode(WorkMode.AgentAfterCallWork);
                }

                WriteOptionalExtensions(reasonCode: null);
                return;
            }

            WriteWorkMode(WorkMode.AgentAuxWork);
            var reasonCode = ReasonCodes[random.Next(ReasonCodes.Length)];
            if (random.Next(2) == 0)
            {
                json.WriteStartObject(Names.Reasons);
                json.WriteString(Names.ReasonCode, reasonCode);
                json.WriteEndObject();
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
                json.WriteNumber(Names.ReferenceID, random.Next(1, 1_000_000));
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
            json.WriteStartObject(Names.Extensions);
            if (reasonCode is not null)
            {
                json.WriteString(Names.ReasonCode, reasonCode);
            }

            switch (random.Next(4))
            {
                case 0:
                    json.WriteString("AgentSessionID", NewConnId());
                    break;
                case 1:
                    json.WriteBoolean("IsSupervisor", false);
                    json.WriteNumber("Priority", random.Next(1, 10));
                    break;
                case 2:
                    json.WriteStartObject("Site");
                    json.WriteString("Region", "eu-west");
                    json.WriteStartArray("Skills");
                    json.WriteStringValue("billing");
                    json.WriteStringValue("sales");
                    json.WriteEndArray();
                    json.WriteEndObject();
                    break;
            }

            json.WriteEndObject();
        }

        private void WriteUnknownEvent(SimulatedAgent agent, DateTimeOffset timestamp)
        {
            var name = UnknownEventNames[random.Next(UnknownEventNames.Length)];
            json.WriteStartObject();
            json.WriteString(Names.Id, name);
            WriteAgentEventHeader(agent, timestamp);
            if (name == "EventQueueLogout")
            {
                json.WriteString(Names.ThisQueue, agent.Queues[0]);
            }

            json.WriteEndObject();
        }

        /// <summary>
        /// Writes an invalid record into the JSON writer, or returns false with raw bytes in <paramref name="rawValue"/>
        /// when the record is not JSON at all. Never changes the agent's state: the processor dead-letters these.
        /// </summary>
        private bool TryWriteInvalid(SimulatedAgent agent, DateTimeOffset timestamp, out byte[] rawValue)
        {
            rawValue = [];
            switch ((InvalidVariant)random.Next(InvalidVariantCount))
            {
                case InvalidVariant.MalformedJson:
                    json.WriteStartObject();
                    json.WriteString(Names.Id, EventNames[(int)VoiceEvent.AgentNotReady]);
                    WriteAgentEventHeader(agent, timestamp);
                    json.WriteEndObject();
                    json.Flush();
                    // Every proper prefix of a JSON object is malformed: the object only closes at the last byte.
                    rawValue = buffer.WrittenSpan[..random.Next(1, buffer.WrittenCount)].ToArray();
                    return false;

                case InvalidVariant.MissingMandatoryAttribute:
                    json.WriteStartObject();
                    json.WriteString(Names.Id, EventNames[(int)VoiceEvent.AgentReady]);
                    WriteAgentEventHeader(agent, timestamp); // but no AgentWorkMode, mandatory for EventAgentReady
                    json.WriteEndObject();
                    return true;

                case InvalidVariant.MissingThisDn:
                    json.WriteStartObject();
                    json.WriteString(Names.Id, EventNames[(int)VoiceEvent.OffHook]);
                    json.WriteString(Names.Server, agent.Server);
                    WriteTime(timestamp);
                    json.WriteString(Names.CustomerID, agent.TenantId);
                    json.WriteEndObject();
                    return true;

                case InvalidVariant.WrongType:
                    // Not ThisDN as a number: the schema's string attributes accept JSON numbers, as feeds
                    // render numeric identifiers either way (schemas/tables/attribute-types.json).
                    json.WriteStartObject();
                    json.WriteString(Names.Id, EventNames[(int)VoiceEvent.DNDOn]);
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

                    WriteTime(timestamp);
                    json.WriteEndObject();
                    return true;

                case InvalidVariant.BadEnumValue:
                    json.WriteStartObject();
                    json.WriteString(Names.Id, EventNames[(int)VoiceEvent.AgentReady]);
                    WriteAgentEventHeader(agent, timestamp);
                    if (random.Next(2) == 0)
                    {
                        json.WriteNumber(Names.AgentWorkMode, 42);
                    }
                    else
                    {
                        json.WriteString(Names.AgentWorkMode, "AgentOnVacation");
                    }

                    json.WriteEndObject();
                    return true;

                case InvalidVariant.Garbage:
                    rawValue = (byte[])Garbage[random.Next(Garbage.Length)].Clone();
                    return false;

                default:
                    throw new InvalidOperationException("Unknown invalid variant.");
            }
        }

        private string NewConnId() => random.NextInt64().ToString("x16", CultureInfo.InvariantCulture);
    }

    private sealed class SimulatedAgent(string tenantId, string agentId, string dn, string[] queues, string server)
    {
        public string TenantId { get; } = tenantId;
        public string AgentId { get; } = agentId;
        public string Dn { get; } = dn;
        public string[] Queues { get; } = queues;
        public string Server { get; } = server;
        public string Key { get; } = $"{tenantId}:{agentId}";

        public AgentPhase Phase { get; set; } = AgentPhase.LoggedOut;
        public int QueuesLoggedIn { get; set; }
        public string? ConnId { get; set; }
        public bool Muted { get; set; }
        public bool Dnd { get; set; }
        public string? ForwardTo { get; set; }
        public bool OutOfService { get; set; }
    }

    private enum AgentPhase { LoggedOut, LoggedIn, Ready, NotReady }

    // Order matches EventNames.
    private enum VoiceEvent
    {
        AgentLogin, AgentLogout, AgentReady, AgentNotReady, DNOutOfService, DNBackInService,
        DNDOn, DNDOff, ForwardSet, ForwardCancel, OffHook, OnHook, MuteOn, MuteOff,
    }

    private const int VoiceEventCount = 14;

    // T-Library AgentWorkMode values.
    private enum WorkMode { AgentManualIn = 1, AgentAutoIn = 2, AgentAfterCallWork = 3, AgentAuxWork = 4 }

    private enum InvalidVariant { MalformedJson, MissingMandatoryAttribute, MissingThisDn, WrongType, BadEnumValue, Garbage }

    private const int InvalidVariantCount = 6;

    private static readonly JsonEncodedText[] EventNames =
    [
        .. new[]
        {
            "EventAgentLogin", "EventAgentLogout", "EventAgentReady", "EventAgentNotReady", "EventDNOutOfService",
            "EventDNBackInService", "EventDNDOn", "EventDNDOff", "EventForwardSet", "EventForwardCancel",
            "EventOffHook", "EventOnHook", "EventMuteOn", "EventMuteOff",
        }.Select(name => JsonEncodedText.Encode(name)),
    ];

    private static readonly string[] WorkModeNames =
    [
        "AgentWorkModeUnknown", "AgentManualIn", "AgentAutoIn", "AgentAfterCallWork", "AgentAuxWork",
        "AgentNoCallDisconnect", "AgentWalkAway", "AgentReturnBack",
    ];

    private static readonly string[] ReasonCodes = ["Break", "Lunch", "Training", "Meeting", "Coaching"];

    /// <summary>Events the real topic carries that the attribute tables do not describe (skipped, see docs/fold-rules.md).</summary>
    internal static readonly string[] UnknownEventNames =
    [
        "EventQueueLogout", "EventMonitoringNextCall", "EventMonitoringCancelled", "EventListenDisconnected",
        "EventListenReconnected", "EventMessageWaitingOn", "EventMessageWaitingOff",
    ];

    private static readonly byte[][] Garbage =
    [
        "[1,2,3]"u8.ToArray(),
        "\"EventAgentReady\""u8.ToArray(),
        "null"u8.ToArray(),
        """{"hello":"world","n":1}"""u8.ToArray(),
        "<Event id=\"EventAgentReady\"/>"u8.ToArray(),
        [0xFF, 0xFE, 0x01, 0x02, 0x7B],
    ];

    private static class Names
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
