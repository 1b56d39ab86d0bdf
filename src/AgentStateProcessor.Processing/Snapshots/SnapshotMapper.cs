using System.Collections.Immutable;
using System.Globalization;
using AgentStateProcessor.Avro;
using AgentStateProcessor.Domain;
using AgentStateProcessor.Domain.Events;

namespace AgentStateProcessor.Processing.Snapshots;

/// <summary>
/// Maps state to snapshot records and back (the way back restores state from the snapshot topics).
/// Field names are those of schemas/snapshots.
/// </summary>
public static class SnapshotMapper
{
    private static readonly EnumSchema AgentStatusSchema = EnumOf(SnapshotSchemas.Agent, "state");
    private static readonly EnumSchema WorkModeSchema = EnumOf(SnapshotSchemas.Agent, "workMode");

    public static GenericRecord ToRecord(AgentState s)
    {
        var schema = SnapshotSchemas.Agent;
        var r = new GenericRecord(schema);
        r["tenantId"] = s.TenantId;
        r["agentId"] = s.AgentId;
        r["state"] = new GenericEnum(AgentStatusSchema, s.State.ToString());
        r["workMode"] = s.WorkMode is { } mode ? new GenericEnum(WorkModeSchema, mode.ToString()) : null;
        r["reasonCode"] = s.ReasonCode;
        r["dn"] = s.Dn;
        r["queues"] = Strings(s.Queues);
        r["loggedInSince"] = s.LoggedInSince;
        r["stateSince"] = s.StateSince;
        r["updatedAt"] = s.UpdatedAt;
        r["lastEvent"] = s.LastEvent;
        r["eventCount"] = s.EventCount;
        r["source"] = Position(schema, s.Source);
        return r;
    }

    public static GenericRecord ToRecord(DnState s)
    {
        var schema = SnapshotSchemas.Dn;
        var r = new GenericRecord(schema);
        r["tenantId"] = s.TenantId;
        r["dn"] = s.Dn;
        r["inService"] = s.InService;
        r["dnd"] = s.Dnd;
        r["forwardTo"] = s.ForwardTo;
        r["offHook"] = s.OffHook;
        r["mutedConnections"] = Strings(s.MutedConnections);
        r["agentId"] = s.AgentId;
        r["queues"] = Strings(s.Queues);
        r["updatedAt"] = s.UpdatedAt;
        r["lastEvent"] = s.LastEvent;
        r["eventCount"] = s.EventCount;
        r["source"] = Position(schema, s.Source);
        // Inserted in partition order into an insertion-ordered dictionary, so the map is encoded
        // in that order and equal states give equal bytes.
        var positions = new Dictionary<string, object?>(s.InputPositions.Length);
        foreach (var p in s.InputPositions) positions.Add(p.Partition.ToString(CultureInfo.InvariantCulture), p.Offset);
        r["inputPositions"] = positions;
        return r;
    }

    public static AgentState ToAgentState(GenericRecord r) => new(
        TenantId: (string)r["tenantId"]!,
        AgentId: (string)r["agentId"]!,
        State: Enum.Parse<AgentStatus>(((GenericEnum)r["state"]!).Symbol),
        WorkMode: r["workMode"] is GenericEnum mode ? Enum.Parse<AgentWorkMode>(mode.Symbol) : null,
        ReasonCode: (string?)r["reasonCode"],
        Dn: (string?)r["dn"],
        Queues: Strings(r["queues"]),
        LoggedInSince: (long?)r["loggedInSince"],
        StateSince: (long)r["stateSince"]!,
        UpdatedAt: (long)r["updatedAt"]!,
        LastEvent: (string)r["lastEvent"]!,
        EventCount: (long)r["eventCount"]!,
        Source: Position((GenericRecord)r["source"]!));

    public static DnState ToDnState(GenericRecord r) => new(
        TenantId: (string)r["tenantId"]!,
        Dn: (string)r["dn"]!,
        InService: (bool)r["inService"]!,
        Dnd: (bool)r["dnd"]!,
        ForwardTo: (string?)r["forwardTo"],
        OffHook: (bool)r["offHook"]!,
        MutedConnections: Strings(r["mutedConnections"]),
        AgentId: (string?)r["agentId"],
        Queues: Strings(r["queues"]),
        UpdatedAt: (long)r["updatedAt"]!,
        LastEvent: (string)r["lastEvent"]!,
        EventCount: (long)r["eventCount"]!,
        Source: Position((GenericRecord)r["source"]!),
        InputPositions: [.. ((IDictionary<string, object?>)r["inputPositions"]!)
            .Select(p => new PartitionOffset(int.Parse(p.Key, CultureInfo.InvariantCulture), (long)p.Value!))
            .OrderBy(p => p.Partition)]);

    /// <summary>The enum schema of a field, itself or the non-null branch of its union.</summary>
    private static EnumSchema EnumOf(RecordSchema schema, string field)
    {
        var type = schema.GetField(field)!.Schema;
        return type as EnumSchema ?? ((UnionSchema)type).Branches.OfType<EnumSchema>().Single();
    }

    private static List<object?> Strings(ImmutableArray<string> names)
    {
        var list = new List<object?>(names.Length);
        foreach (var name in names) list.Add(name);
        return list;
    }

    private static ImmutableArray<string> Strings(object? array) =>
        [.. ((IList<object?>)array!).Cast<string>()];

    private static GenericRecord Position(RecordSchema schema, InputPosition p)
    {
        var r = new GenericRecord((RecordSchema)schema.GetField("source")!.Schema);
        r["topic"] = p.Topic;
        r["partition"] = p.Partition;
        r["offset"] = p.Offset;
        return r;
    }

    private static InputPosition Position(GenericRecord r) => new((string)r["topic"]!, (int)r["partition"]!, (long)r["offset"]!);
}
