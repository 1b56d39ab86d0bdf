using AgentStateProcessor.Domain.Events;

namespace AgentStateProcessor.Domain.Tests;

/// <summary>
/// Seeded random input shaped like the real topic: an agent's records all come from one partition
/// (the input is keyed by agent), offsets grow per partition with gaps, event times mostly advance
/// but sometimes go backwards, optional fields are sometimes missing, and now and then an earlier
/// record is delivered again.
/// </summary>
internal static class RandomEventStream
{
    public const int Partitions = 3;

    private static readonly string[] Tenants = ["t1", "t2"];
    private static readonly string[] Agents = ["a1", "a2", "a3", "ag:4"];
    private static readonly string[] Dns = ["1001", "1002", "1003", "2001"];
    // Mixed case, digits and non-ASCII so that ordinal and culture orders would differ.
    private static readonly string[] Queues = ["Q1", "Q2", "Q10", "q1", "Ärzte"];
    private static readonly string[] ConnIds = ["c1", "C2", "c10", "0007"];
    private static readonly string[] EventsWithoutRule = ["EventRinging", "EventEstablished", "EventRegistered"];
    private static readonly EventKind[] Kinds = Enum.GetValues<EventKind>();
    private static readonly AgentWorkMode[] WorkModes = Enum.GetValues<AgentWorkMode>();

    /// <summary>The events in input order; a redelivered record is the same instance as its first delivery.</summary>
    public static List<VoiceEvent> Generate(Random random, int count)
    {
        var events = new List<VoiceEvent>(count);
        var nextOffset = Enumerable.Range(0, Partitions).Select(_ => (long)random.Next(0, 1000)).ToArray();
        var seconds = 0;

        while (events.Count < count)
        {
            if (events.Count > 0 && random.NextDouble() < 0.05)
            {
                events.Add(events[random.Next(events.Count)]);
                continue;
            }

            seconds += random.NextDouble() < 0.15 ? -random.Next(1, 120) : random.Next(0, 10);
            var tenant = random.Next(Tenants.Length);
            var agent = random.NextDouble() < 0.1 ? (int?)null : random.Next(Agents.Length);
            var partition = agent is { } a ? (tenant * Agents.Length + a) % Partitions : random.Next(Partitions);
            var offset = nextOffset[partition];
            nextOffset[partition] += random.Next(1, 4);
            var kind = Kinds[random.Next(Kinds.Length)];

            events.Add(new VoiceEvent(
                kind == EventKind.NoStateRule ? EventsWithoutRule[random.Next(EventsWithoutRule.Length)] : Events.NameOf(kind),
                kind,
                Tenants[tenant],
                agent is { } index ? Agents[index] : null,
                ThisDn: Sometimes(random, 0.9, Dns),
                ThisQueue: Sometimes(random, 0.6, Queues),
                OtherDn: Sometimes(random, 0.7, Dns),
                ConnId: Sometimes(random, 0.8, ConnIds),
                WorkMode: random.NextDouble() < 0.5 ? WorkModes[random.Next(WorkModes.Length)] : null,
                ReasonCode: random.NextDouble() < 0.3 ? random.Next(0, 20).ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
                Events.Time(seconds),
                new InputPosition(Events.Topic, partition, offset)));
        }
        return events;
    }

    private static string? Sometimes(Random random, double probability, string[] choices) =>
        random.NextDouble() < probability ? choices[random.Next(choices.Length)] : null;
}
