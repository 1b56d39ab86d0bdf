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

    // Records are filled by field position, and enum symbols and booleans are shared instances: a
    // commit maps every changed state, and looking fields up by name was a fifth of the encoding time.
    private static readonly AgentFields Agent = new(SnapshotSchemas.Agent);
    private static readonly DnFields Dn = new(SnapshotSchemas.Dn);
    private static readonly GenericEnum[] AgentStatuses = Symbols<AgentStatus>(AgentStatusSchema);
    private static readonly GenericEnum[] WorkModes = Symbols<AgentWorkMode>(WorkModeSchema);
    private static readonly object True = true, False = false;

    public static GenericRecord ToRecord(AgentState s)
    {
        var r = new GenericRecord(SnapshotSchemas.Agent);
        r.Add(Agent.TenantId, s.TenantId);
        r.Add(Agent.AgentId, s.AgentId);
        r.Add(Agent.State, AgentStatuses[(int)s.State]);
        r.Add(Agent.WorkMode, s.WorkMode is { } mode ? WorkModes[(int)mode] : null);
        r.Add(Agent.ReasonCode, s.ReasonCode);
        r.Add(Agent.Dn, s.Dn);
        r.Add(Agent.Queues, s.Queues.ToArray());
        r.Add(Agent.LoggedInSince, s.LoggedInSince is { } since ? Instant(since) : null);
        r.Add(Agent.StateSince, Instant(s.StateSince));
        r.Add(Agent.UpdatedAt, Instant(s.UpdatedAt));
        r.Add(Agent.LastEvent, s.LastEvent);
        r.Add(Agent.EventCount, s.EventCount);
        r.Add(Agent.Source, Position(AgentSourceSchema, s.Source));
        return r;
    }

    public static GenericRecord ToRecord(DnState s)
    {
        var r = new GenericRecord(SnapshotSchemas.Dn);
        r.Add(Dn.TenantId, s.TenantId);
        r.Add(Dn.Dn, s.Dn);
        r.Add(Dn.InService, s.InService ? True : False);
        r.Add(Dn.Dnd, s.Dnd ? True : False);
        r.Add(Dn.ForwardTo, s.ForwardTo);
        r.Add(Dn.OffHook, s.OffHook ? True : False);
        r.Add(Dn.MutedConnections, s.MutedConnections.ToArray());
        r.Add(Dn.MessageWaiting, s.MessageWaiting ? True : False);
        r.Add(Dn.AgentId, s.AgentId);
        r.Add(Dn.Queues, s.Queues.ToArray());
        r.Add(Dn.UpdatedAt, Instant(s.UpdatedAt));
        r.Add(Dn.LastEvent, s.LastEvent);
        r.Add(Dn.EventCount, s.EventCount);
        r.Add(Dn.Source, Position(DnSourceSchema, s.Source));
        // Inserted in partition order into an insertion-ordered dictionary, so the map is encoded
        // in that order and equal states give equal bytes.
        var positions = new Dictionary<string, object>(s.InputPositions.Length);
        foreach (var p in s.InputPositions) positions.Add(p.Partition.ToString(CultureInfo.InvariantCulture), p.Offset);
        r.Add(Dn.InputPositions, positions);
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
        // A snapshot of the first DnSnapshot schema lacks the field: decoded by SnapshotCodec it is resolved to the
        // default, but the registry's decoder hands over the record in its writer's schema, without the field.
        MessageWaiting: r.TryGetValue("messageWaiting", out var waiting) && (bool)waiting,
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
    internal static EnumSchema EnumOf(RecordSchema schema, string field)
    {
        var type = schema[field].Schema;
        return type as EnumSchema ?? ((UnionSchema)type).Schemas.OfType<EnumSchema>().Single();
    }

    private static RecordSchema RecordOf(RecordSchema schema, string field) => (RecordSchema)schema[field].Schema;

    /// <summary>One shared symbol per value of <typeparamref name="TEnum"/>, indexed by its number; the schema must name every value.</summary>
    internal static GenericEnum[] Symbols<TEnum>(EnumSchema schema) where TEnum : struct, Enum
    {
        var values = Enum.GetValues<TEnum>();
        var symbols = new GenericEnum[values.Length];
        foreach (var value in values)
        {
            var number = Convert.ToInt32(value, CultureInfo.InvariantCulture);
            if (number < 0 || number >= symbols.Length) throw new InvalidOperationException($"{typeof(TEnum).Name} is not numbered 0..{symbols.Length - 1}");
            symbols[number] = new GenericEnum(schema, value.ToString());
        }
        return symbols;
    }

    private sealed class AgentFields(RecordSchema schema)
    {
        public readonly int TenantId = schema["tenantId"].Pos, AgentId = schema["agentId"].Pos, State = schema["state"].Pos,
            WorkMode = schema["workMode"].Pos, ReasonCode = schema["reasonCode"].Pos, Dn = schema["dn"].Pos, Queues = schema["queues"].Pos,
            LoggedInSince = schema["loggedInSince"].Pos, StateSince = schema["stateSince"].Pos, UpdatedAt = schema["updatedAt"].Pos,
            LastEvent = schema["lastEvent"].Pos, EventCount = schema["eventCount"].Pos, Source = schema["source"].Pos;
    }

    private sealed class DnFields(RecordSchema schema)
    {
        public readonly int TenantId = schema["tenantId"].Pos, Dn = schema["dn"].Pos, InService = schema["inService"].Pos,
            Dnd = schema["dnd"].Pos, ForwardTo = schema["forwardTo"].Pos, OffHook = schema["offHook"].Pos,
            MutedConnections = schema["mutedConnections"].Pos, MessageWaiting = schema["messageWaiting"].Pos,
            AgentId = schema["agentId"].Pos, Queues = schema["queues"].Pos,
            UpdatedAt = schema["updatedAt"].Pos, LastEvent = schema["lastEvent"].Pos, EventCount = schema["eventCount"].Pos,
            Source = schema["source"].Pos, InputPositions = schema["inputPositions"].Pos;
    }

    /// <summary>An array as written (string[]) or as Apache.Avro reads it (object[]).</summary>
    private static ImmutableArray<string> Strings(object array) => [.. ((IEnumerable)array).Cast<string>()];

    private static ImmutableArray<string> PooledStrings(object array) => Pool.Intern([.. ((IEnumerable)array).Cast<string>().Select(name => Pool.Intern(name))]);

    private static GenericRecord Position(RecordSchema schema, InputPosition p)
    {
        // The source record's fields are topic, partition, offset in both snapshot schemas.
        var r = new GenericRecord(schema);
        r.Add(0, p.Topic);
        r.Add(1, p.Partition);
        r.Add(2, p.Offset);
        return r;
    }

    private static InputPosition Position(GenericRecord r) => new(Pool.Intern((string)r["topic"]), (int)r["partition"], (long)r["offset"]);
}
