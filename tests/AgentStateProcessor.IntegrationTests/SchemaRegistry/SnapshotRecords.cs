using System.Text.Json.Nodes;
using AgentStateProcessor.IntegrationTests.Infrastructure;
using Avro;
using Avro.Generic;
using AgentStateProcessor.TestSupport;

namespace AgentStateProcessor.IntegrationTests.SchemaRegistry;

/// <summary>
/// Snapshot records built with Apache.Avro from the committed schemas/snapshots/*.avsc, and their
/// plain form (unions unwrapped, enums as symbols, timestamps as epoch microseconds) to compare
/// with what python3-avro reads.
/// </summary>
internal static class SnapshotRecords
{
    public static readonly RecordSchema AgentSchema = Load("AgentSnapshot.avsc");
    public static readonly RecordSchema DnSchema = Load("DnSnapshot.avsc");

    public static string PathOf(RecordSchema schema) => RepositoryRoot.PathOf("schemas", "snapshots", schema.Name + ".avsc");

    public static string TextOf(RecordSchema schema) => File.ReadAllText(PathOf(schema));

    private static RecordSchema Load(string file) =>
        (RecordSchema)Schema.Parse(File.ReadAllText(RepositoryRoot.PathOf("schemas", "snapshots", file)));

    public static GenericRecord Agent(Random random, bool withNullables)
    {
        var record = new GenericRecord(AgentSchema);
        var workMode = (EnumSchema)((UnionSchema)AgentSchema["workMode"].Schema).Schemas[1];
        var status = (EnumSchema)AgentSchema["state"].Schema;
        record.Add("tenantId", $"tenant-{random.Next(5)}");
        record.Add("agentId", $"agent-{random.Next(10_000)}-\u00e9");
        record.Add("state", new GenericEnum(status, status.Symbols[random.Next(status.Count)]));
        record.Add("workMode", withNullables ? new GenericEnum(workMode, workMode.Symbols[random.Next(workMode.Count)]) : null);
        record.Add("reasonCode", withNullables ? $"reason-{random.Next(100)}" : null);
        record.Add("dn", withNullables ? $"{random.Next(1000, 9999)}" : null);
        record.Add("queues", Enumerable.Range(0, random.Next(4)).Select(i => (object)$"queue-{i}").ToArray());
        record.Add("loggedInSince", withNullables ? Timestamp(random) : null);
        record.Add("stateSince", Timestamp(random));
        record.Add("updatedAt", Timestamp(random));
        record.Add("lastEvent", "EventAgentReady");
        record.Add("eventCount", random.NextInt64(0, long.MaxValue));
        record.Add("source", Position(AgentSchema, random));
        return record;
    }

    public static GenericRecord Dn(Random random, bool withNullables)
    {
        var record = new GenericRecord(DnSchema);
        record.Add("tenantId", $"tenant-{random.Next(5)}");
        record.Add("dn", $"{random.Next(1000, 9999)}");
        record.Add("inService", random.Next(2) == 0);
        record.Add("dnd", random.Next(2) == 0);
        record.Add("forwardTo", withNullables ? $"{random.Next(1000, 9999)}" : null);
        record.Add("offHook", random.Next(2) == 0);
        record.Add("mutedConnections", Enumerable.Range(0, random.Next(3)).Select(i => (object)$"conn-{i:x8}").ToArray());
        record.Add("messageWaiting", random.Next(2) == 0);
        record.Add("agentId", withNullables ? $"agent-{random.Next(100)}" : null);
        record.Add("queues", Enumerable.Range(0, random.Next(3)).Select(i => (object)$"q{i}").ToArray());
        record.Add("updatedAt", Timestamp(random));
        record.Add("lastEvent", "EventDNDOn");
        record.Add("eventCount", random.NextInt64(0, 1_000_000));
        record.Add("source", Position(DnSchema, random));
        record.Add("inputPositions", Enumerable.Range(0, random.Next(4)).ToDictionary(p => p.ToString(), _ => (object)random.NextInt64(0, long.MaxValue)));
        return record;
    }

    private static GenericRecord Position(RecordSchema owner, Random random)
    {
        var position = new GenericRecord((RecordSchema)owner["source"].Schema);
        position.Add("topic", "voice-agentstate");
        position.Add("partition", random.Next(64));
        position.Add("offset", random.NextInt64(0, long.MaxValue));
        return position;
    }

    /// <summary>Whole microseconds, as timestamp-micros keeps.</summary>
    private static DateTime Timestamp(Random random) =>
        DateTime.UnixEpoch.AddTicks(random.NextInt64(0, 4_000_000_000_000_000L / 10) * 10);

    /// <summary>The value as a consumer means it: unions unwrapped, enums as symbols, timestamps as epoch microseconds.</summary>
    public static JsonNode? PlainDatum(object? value) => value switch
    {
        null => null,
        GenericRecord record => new JsonObject(record.Schema.Fields.Select(f => KeyValuePair.Create(f.Name, PlainDatum(record.GetValue(f.Pos))))),
        GenericEnum symbol => JsonValue.Create(symbol.Value),
        DateTime time => JsonValue.Create((time.ToUniversalTime() - DateTime.UnixEpoch).Ticks / 10),
        IDictionary<string, object?> map => new JsonObject(map.Select(p => KeyValuePair.Create(p.Key, PlainDatum(p.Value)))),
        string text => JsonValue.Create(text),
        System.Collections.IEnumerable items => new JsonArray([.. items.Cast<object?>().Select(PlainDatum)]),
        bool flag => JsonValue.Create(flag),
        int number => JsonValue.Create(number),
        long number => JsonValue.Create(number),
        _ => throw new ArgumentException($"no plain form for {value.GetType()}"),
    };
}
