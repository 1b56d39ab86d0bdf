using System.Collections;
using System.Collections.Immutable;
using System.Globalization;
using Avro;
using Avro.Generic;
using AgentStateProcessor.Domain;
using AgentStateProcessor.Domain.Events;

namespace AgentStateProcessor.Processing.Snapshots;

/// <summary>
/// Maps state to snapshot records (Apache.Avro generic records) and back (the way back restores
/// state from the snapshot topics). Field names are those of schemas/snapshots; timestamps are
/// Apache.Avro's value of timestamp-micros, a UTC <see cref="DateTime"/>. Restored states take
/// repeating text (tenant, queues, reason code, event name, topic) from <see cref="InternPool.Shared"/>,
/// as states folded from input do.
/// </summary>
public static class SnapshotMapper
{
    private static readonly EnumSchema AgentStatusSchema = EnumOf(SnapshotSchemas.Agent, "state");
    private static readonly EnumSchema WorkModeSchema = EnumOf(SnapshotSchemas.Agent, "workMode");
    private static readonly RecordSchema AgentSourceSchema = RecordOf(SnapshotSchemas.Agent, "source");
    private static readonly RecordSchema DnSourceSchema = RecordOf(SnapshotSchemas.Dn, "source");
    private static InternPool Pool => InternPool.Shared;

    public static GenericRecord ToRecord(AgentState s)
    {
        var r = new GenericRecord(SnapshotSchemas.Agent);
        r.Add("tenantId", s.TenantId);
        r.Add("agentId", s.AgentId);
        r.Add("state", new GenericEnum(AgentStatusSchema, s.State.ToString()));
        r.Add("workMode", s.WorkMode is { } mode ? new GenericEnum(WorkModeSchema, mode.ToString()) : null);
        r.Add("reasonCode", s.ReasonCode);
        r.Add("dn", s.Dn);
        r.Add("queues", s.Queues.ToArray());
        r.Add("loggedInSince", s.LoggedInSince is { } since ? Instant(since) : null);
        r.Add("stateSince", Instant(s.StateSince));
        r.Add("updatedAt", Instant(s.UpdatedAt));
        r.Add("lastEvent", s.LastEvent);
        r.Add("eventCount", s.EventCount);
        r.Add("source", Position(AgentSourceSchema, s.Source));
        return r;
    }

    public static GenericRecord ToRecord(DnState s)
    {
        var r = new GenericRecord(SnapshotSchemas.Dn);
        r.Add("tenantId", s.TenantId);
        r.Add("dn", s.Dn);
        r.Add("inService", s.InService);
        r.Add("dnd", s.Dnd);
        r.Add("forwardTo", s.ForwardTo);
        r.Add("offHook", s.OffHook);
        r.Add("mutedConnections", s.MutedConnections.ToArray());
        r.Add("agentId", s.AgentId);
        r.Add("queues", s.Queues.ToArray());
        r.Add("updatedAt", Instant(s.UpdatedAt));
        r.Add("lastEvent", s.LastEvent);
        r.Add("eventCount", s.EventCount);
        r.Add("source", Position(DnSourceSchema, s.Source));
        // Inserted in partition order into an insertion-ordered dictionary, so the map is encoded
        // in that order and equal states give equal bytes.
        var positions = new Dictionary<string, object>(s.InputPositions.Length);
        foreach (var p in s.InputPositions) positions.Add(p.Partition.ToString(CultureInfo.InvariantCulture), p.Offset);
        r.Add("inputPositions", positions);
        return r;
    }

    public static AgentState ToAgentState(GenericRecord r) => new(
        TenantId: Pool.Intern((string)r["tenantId"]),
        AgentId: (string)r["agentId"],
        State: Enum.Parse<AgentStatus>(((GenericEnum)r["state"]).Value),
        WorkMode: r["workMode"] is GenericEnum mode ? Enum.Parse<AgentWorkMode>(mode.Value) : null,
        ReasonCode: Pool.Intern((string?)r["reasonCode"]),
        Dn: (string?)r["dn"],
        Queues: PooledStrings(r["queues"]),
        LoggedInSince: r["loggedInSince"] is DateTime since ? Micros(since) : null,
        StateSince: Micros((DateTime)r["stateSince"]),
        UpdatedAt: Micros((DateTime)r["updatedAt"]),
        LastEvent: Pool.Intern((string)r["lastEvent"]),
        EventCount: (long)r["eventCount"],
        Source: Position((GenericRecord)r["source"]));

    public static DnState ToDnState(GenericRecord r) => new(
        TenantId: Pool.Intern((string)r["tenantId"]),
        Dn: (string)r["dn"],
        InService: (bool)r["inService"],
        Dnd: (bool)r["dnd"],
        ForwardTo: (string?)r["forwardTo"],
        OffHook: (bool)r["offHook"],
        MutedConnections: Strings(r["mutedConnections"]),
        AgentId: (string?)r["agentId"],
        Queues: PooledStrings(r["queues"]),
        UpdatedAt: Micros((DateTime)r["updatedAt"]),
        LastEvent: Pool.Intern((string)r["lastEvent"]),
        EventCount: (long)r["eventCount"],
        Source: Position((GenericRecord)r["source"]),
        InputPositions: [.. ((IDictionary<string, object>)r["inputPositions"])
            .Select(p => new PartitionOffset(int.Parse(p.Key, CultureInfo.InvariantCulture), (long)p.Value))
            .OrderBy(p => p.Partition)]);

    /// <summary>Microseconds since the Unix epoch as the UTC instant Apache.Avro writes as timestamp-micros.</summary>
    public static DateTime Instant(long micros) => DateTime.UnixEpoch.AddTicks(micros * TimeSpan.TicksPerMicrosecond);

    public static long Micros(DateTime instant) => (instant.ToUniversalTime() - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;

    /// <summary>The enum schema of a field, itself or the non-null branch of its union.</summary>
    private static EnumSchema EnumOf(RecordSchema schema, string field)
    {
        var type = schema[field].Schema;
        return type as EnumSchema ?? ((UnionSchema)type).Schemas.OfType<EnumSchema>().Single();
    }

    private static RecordSchema RecordOf(RecordSchema schema, string field) => (RecordSchema)schema[field].Schema;

    /// <summary>An array as written (string[]) or as Apache.Avro reads it (object[]).</summary>
    private static ImmutableArray<string> Strings(object array) => [.. ((IEnumerable)array).Cast<string>()];

    private static ImmutableArray<string> PooledStrings(object array) => Pool.Intern([.. ((IEnumerable)array).Cast<string>().Select(name => Pool.Intern(name))]);

    private static GenericRecord Position(RecordSchema schema, InputPosition p)
    {
        var r = new GenericRecord(schema);
        r.Add("topic", p.Topic);
        r.Add("partition", p.Partition);
        r.Add("offset", p.Offset);
        return r;
    }

    private static InputPosition Position(GenericRecord r) => new(Pool.Intern((string)r["topic"]), (int)r["partition"], (long)r["offset"]);
}
