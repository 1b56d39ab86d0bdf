using System.Buffers;
using System.Globalization;
using System.Text.Json;
using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.Kafka;
using AgentStateProcessor.Processing;

namespace AgentStateProcessor.Benchmarks;

/// <summary>
/// The input records that bring a contact center of <c>agentCount</c> agents, each with a DN of its own,
/// into a typical mid-shift state: every agent logged in to one queue (a third to two), 60% ready and
/// the rest not ready (most with a reason code), 10% of DNs on do-not-disturb, 5% forwarded, 30% on a
/// call of which a fifth are muted. The JSON has the attribute shapes the simulator writes.
/// </summary>
internal sealed class SteadyStatePopulation(int agentCount, int tenantCount = 10, int queuesPerTenant = 20, int seed = 7)
{
    private static readonly string[] ReasonCodes = ["Break", "Lunch", "Training", "Meeting", "Coaching"];
    private static readonly DateTimeOffset ShiftStart = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);

    public int AgentCount => agentCount;

    /// <summary>
    /// Generated lazily, so only the state the fold keeps stays reachable. Each record gets fresh key
    /// and topic strings, as a Kafka consumer hands them over, so the state retains what it would in production.
    /// </summary>
    public IEnumerable<InputRecord> Records()
    {
        var random = new Random(seed);
        var buffer = new ArrayBufferWriter<byte>(512);
        using var json = new Utf8JsonWriter(buffer);
        var nextOffsets = new long[SimulatedWorkload.InputPartitions];
        var time = ShiftStart;

        for (var index = 0; index < agentCount; index++)
        {
            var agent = new Agent(
                Tenant: $"tenant-{index % tenantCount + 1:D2}",
                AgentId: $"agent-{index / tenantCount + 1:D5}",
                Dn: (100_000 + index / tenantCount).ToString(CultureInfo.InvariantCulture));
            var key = $"{agent.Tenant}:{agent.AgentId}";
            var partition = KeyPartitioner.PartitionOf(key, SimulatedWorkload.InputPartitions);

            foreach (var write in EventsOf(agent, random))
            {
                buffer.ResetWrittenCount();
                json.Reset(buffer);
                time = time.AddMilliseconds(3);
                json.WriteStartObject();
                write(json, time);
                json.WriteEndObject();
                json.Flush();
                var position = new InputPosition(new string(SimulatedWorkload.InputTopic), partition, nextOffsets[partition]++);
                yield return new InputRecord(new string(key), buffer.WrittenSpan.ToArray(), time.ToUnixTimeMilliseconds() * 1000, position);
            }
        }
    }

    private sealed record Agent(string Tenant, string AgentId, string Dn);

    private IEnumerable<Action<Utf8JsonWriter, DateTimeOffset>> EventsOf(Agent agent, Random random)
    {
        var firstQueue = random.Next(queuesPerTenant);
        yield return (json, time) => AgentEvent(json, "EventAgentLogin", agent, time).WriteString("ThisQueue", Queue(firstQueue));
        if (random.Next(3) == 0)
        {
            yield return (json, time) => AgentEvent(json, "EventAgentLogin", agent, time).WriteString("ThisQueue", Queue((firstQueue + 1) % queuesPerTenant));
        }

        if (random.NextDouble() < 0.6)
        {
            yield return (json, time) => AgentEvent(json, "EventAgentReady", agent, time).WriteNumber("AgentWorkMode", 2);
        }
        else if (random.Next(4) == 0)
        {
            // After-call work: not ready without a reason code.
            yield return (json, time) => AgentEvent(json, "EventAgentNotReady", agent, time).WriteNumber("AgentWorkMode", 3);
        }
        else
        {
            var reason = ReasonCodes[random.Next(ReasonCodes.Length)];
            yield return (json, time) =>
            {
                AgentEvent(json, "EventAgentNotReady", agent, time).WriteNumber("AgentWorkMode", 4);
                json.WriteStartObject("Reasons");
                json.WriteString("ReasonCode", reason);
                json.WriteEndObject();
            };
        }

        if (random.NextDouble() < 0.10) yield return (json, time) => DnEvent(json, "EventDNDOn", agent, time);
        if (random.NextDouble() < 0.05)
        {
            var target = $"+1555{random.Next(10_000_000):D7}";
            yield return (json, time) => DnEvent(json, "EventForwardSet", agent, time).WriteString("OtherDN", target);
        }
        if (random.NextDouble() < 0.30)
        {
            var connId = random.NextInt64().ToString("x16", CultureInfo.InvariantCulture);
            yield return (json, time) => DnEvent(json, "EventOffHook", agent, time).WriteString("ConnID", connId);
            if (random.Next(5) == 0)
            {
                yield return (json, _) =>
                {
                    // The mute tables list neither Server nor time.
                    json.WriteString("id", "EventMuteOn");
                    json.WriteString("ConnID", connId);
                    json.WriteString("ThisDNRole", "RoleDestination");
                    json.WriteString("ThisDN", agent.Dn);
                    json.WriteString("CustomerID", agent.Tenant);
                };
            }
        }
    }

    private static Utf8JsonWriter AgentEvent(Utf8JsonWriter json, string name, Agent agent, DateTimeOffset time)
    {
        DnEvent(json, name, agent, time);
        json.WriteString("AgentID", agent.AgentId);
        return json;
    }

    private static Utf8JsonWriter DnEvent(Utf8JsonWriter json, string name, Agent agent, DateTimeOffset time)
    {
        json.WriteString("id", name);
        json.WriteString("Server", $"voice-sip-{agent.Tenant[^2..]}");
        json.WriteString("ThisDN", agent.Dn);
        json.WriteNumber("time", time.ToUnixTimeMilliseconds() / 1000m);
        json.WriteString("CustomerID", agent.Tenant);
        return json;
    }

    private static string Queue(int queue) => (8000 + queue).ToString(CultureInfo.InvariantCulture);
}
