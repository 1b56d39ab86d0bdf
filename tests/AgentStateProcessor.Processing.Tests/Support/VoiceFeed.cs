using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using AgentStateProcessor.Domain.Events;

namespace AgentStateProcessor.Processing.Tests.Support;

/// <summary>
/// A seeded feed of valid JSON records of the 14 agent-state and DN events and the extension events with a
/// state rule (EventQueueLogout, EventMessageWaitingOn/Off), shaped like the real
/// topic: keyed <c>tenant:agent</c>, an agent's records all on one partition, offsets growing per
/// partition with gaps, every accepted spelling of <c>time</c> and <c>AgentWorkMode</c>, and event
/// clocks that now and then go backwards.
/// </summary>
internal static class VoiceFeed
{
    public const int Partitions = 3;

    /// <summary>Every event with a state rule except EventAgentReserved, which this feed does not render.</summary>
    public static readonly string[] EventNames =
        [.. EventKinds.WithStateRule.Where(kind => kind != EventKind.AgentReserved).Select(EventKinds.NameOf)];

    private static readonly string[] Tenants = ["t1", "t2", "Tenant-3"];
    private static readonly string[] Agents = ["a1", "a2", "a3", "ag:4", "Ärztin"];
    private static readonly string[] Dns = ["5001", "5002", "5003", "SIP::6001"];
    // Mixed case, digits and non-ASCII so that ordinal and culture orders differ.
    private static readonly string[] Queues = ["Q1", "Q10", "Q2", "q1", "Ärzte"];
    private static readonly string[] ConnIds = ["006b02d5e2a9a001", "006b02d5e2a9a00A", "c10", "C2"];
    private static readonly string[] Roles = ["RoleOrigination", "RoleDestination", "RoleConferenceMember"];
    private static readonly long BaseSeconds = new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    public static List<InputRecord> Generate(int seed, int count)
    {
        var random = new Random(seed);
        var nextOffset = Enumerable.Range(0, Partitions).Select(_ => (long)random.Next(0, 1000)).ToArray();
        var records = new List<InputRecord>(count);
        var seconds = 0L;
        for (var i = 0; i < count; i++)
        {
            seconds += random.NextDouble() < 0.1 ? -random.Next(1, 60) : random.Next(0, 20);
            var tenant = random.Next(Tenants.Length);
            var agent = random.Next(Agents.Length);
            var partition = (tenant * Agents.Length + agent) % Partitions;
            var offset = nextOffset[partition];
            nextOffset[partition] += random.Next(1, 4);

            var value = Event(random, EventNames[random.Next(EventNames.Length)], Tenants[tenant], Agents[agent], BaseSeconds + seconds);
            var recordTimestamp = (BaseSeconds + seconds) * 1_000_000 + random.Next(0, 1_000_000);
            records.Add(new InputRecord(
                $"{Tenants[tenant]}:{Agents[agent]}",
                Encoding.UTF8.GetBytes(value.ToJsonString()),
                recordTimestamp,
                new InputPosition(Inputs.Topic, partition, offset)));
        }
        return records;
    }

    private static JsonObject Event(Random random, string name, string tenant, string agent, long seconds)
    {
        var e = new JsonObject { [random.NextDouble() < 0.8 ? "id" : "Event"] = name, ["ThisDN"] = Pick(random, Dns) };
        switch (name)
        {
            case "EventAgentLogin" or "EventAgentLogout" or "EventQueueLogout":
                AddCommon(random, e, seconds);
                e["AgentID"] = agent;
                e["CustomerID"] = tenant;
                if (random.NextDouble() < 0.7) e["ThisQueue"] = Pick(random, Queues);
                if (random.NextDouble() < 0.3) e["Extensions"] = new JsonObject { ["ReasonCode"] = random.Next(0, 100) };
                break;
            case "EventAgentReady" or "EventAgentNotReady":
                AddCommon(random, e, seconds);
                e["AgentID"] = agent;
                if (name == "EventAgentReady" || random.NextDouble() < 0.7) e["AgentWorkMode"] = WorkMode(random);
                if (random.NextDouble() < 0.4) e["Reasons"] = new JsonObject { ["ReasonCode"] = Pick(random, ["Lunch", "Break", "Training"]) };
                break;
            case "EventDNOutOfService" or "EventDNBackInService":
                break; // no time attribute: the record timestamp stands in
            case "EventMuteOn" or "EventMuteOff":
                e["ConnID"] = Pick(random, ConnIds);
                e["ThisDNRole"] = Pick(random, Roles);
                break;
            default:
                AddCommon(random, e, seconds);
                if (name == "EventForwardSet") e["OtherDN"] = "+1555" + random.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
                if (name is "EventOffHook" or "EventOnHook" && random.NextDouble() < 0.6) e["ConnID"] = Pick(random, ConnIds);
                break;
        }
        return e;
    }

    private static void AddCommon(Random random, JsonObject e, long seconds)
    {
        e["Server"] = "sip-server-1";
        e["time"] = Time(random, seconds, random.Next(0, 1_000_000));
    }

    /// <summary>Every spelling of <c>time</c> the input contract accepts.</summary>
    private static JsonNode Time(Random random, long seconds, int micros) => random.Next(4) switch
    {
        0 => JsonValue.Create(seconds),
        1 => JsonValue.Create(seconds + micros / 1_000_000m),
        2 => new JsonObject { ["timeinSecs"] = seconds, ["timeinuSecs"] = micros },
        _ => JsonValue.Create(DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(micros * 10L).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffK", CultureInfo.InvariantCulture)),
    };

    private static JsonNode WorkMode(Random random)
    {
        var mode = (AgentWorkMode)random.Next(0, 8);
        return random.NextDouble() < 0.5 ? JsonValue.Create((int)mode) : JsonValue.Create(mode.ToString());
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];
}
