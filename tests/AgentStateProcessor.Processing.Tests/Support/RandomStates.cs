using System.Collections.Immutable;
using AgentStateProcessor.Domain;
using AgentStateProcessor.Domain.Events;

namespace AgentStateProcessor.Processing.Tests.Support;

/// <summary>Seeded agent and DN states covering every field, null and not, and awkward text.</summary>
internal static class RandomStates
{
    private static readonly string[] Texts = ["5001", "agent42", "", "ag:4", "Ärztin", "日本語", "emoji 😀", "tab\tquote\"back\\slash", "Q10", "q1"];
    // 0001-01-01 to 9999-12-31: every instant a timestamp-micros reader can turn into a date.
    private const long MinMicros = -62_135_596_800_000_000;
    private const long MaxMicros = 253_402_300_799_999_999;

    public static AgentState Agent(Random random, bool withNullables) => new(
        TenantId: Text(random),
        AgentId: Text(random),
        State: Pick(random, Enum.GetValues<AgentStatus>()),
        WorkMode: withNullables ? Pick(random, Enum.GetValues<AgentWorkMode>()) : null,
        ReasonCode: withNullables ? Text(random) : null,
        Dn: withNullables ? Text(random) : null,
        Queues: Names(random),
        LoggedInSince: withNullables ? Micros(random) : null,
        StateSince: Micros(random),
        UpdatedAt: Micros(random),
        LastEvent: Pick(random, VoiceFeed.EventNames),
        EventCount: random.NextInt64(0, long.MaxValue),
        Source: Position(random));

    public static DnState Dn(Random random, bool withNullables, int inputPartitions) => new(
        TenantId: Text(random),
        Dn: Text(random),
        InService: random.Next(2) == 0,
        Dnd: random.Next(2) == 0,
        ForwardTo: withNullables ? Text(random) : null,
        OffHook: random.Next(2) == 0,
        MutedConnections: Names(random),
        MessageWaiting: random.Next(2) == 0,
        AgentId: withNullables ? Text(random) : null,
        Queues: Names(random),
        UpdatedAt: Micros(random),
        LastEvent: Pick(random, VoiceFeed.EventNames),
        EventCount: random.NextInt64(0, 1_000_000),
        Source: Position(random),
        InputPositions: [.. Enumerable.Range(0, 1000).OrderBy(_ => random.Next()).Take(inputPartitions).Order()
            .Select(p => new PartitionOffset(p, random.NextInt64(0, long.MaxValue)))]);

    private static string Text(Random random) =>
        random.Next(3) == 0 ? Pick(random, Texts) : Pick(random, Texts) + random.Next(0, 100_000).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static ImmutableArray<string> Names(Random random) =>
        [.. Enumerable.Range(0, random.Next(0, 5)).Select(_ => Text(random)).Distinct().Order(StringComparer.Ordinal)];

    private static long Micros(Random random) => random.Next(4) == 0 ? Pick(random, [0L, MinMicros, MaxMicros, -1L]) : random.NextInt64(MinMicros, MaxMicros);

    private static InputPosition Position(Random random) =>
        new(Pick(random, ["voice-agentstate", "voice-agentstate-dn-repartition", "file:events.jsonl"]), random.Next(0, int.MaxValue), random.NextInt64(0, long.MaxValue));

    private static T Pick<T>(Random random, T[] values) => values[random.Next(values.Length)];
}
