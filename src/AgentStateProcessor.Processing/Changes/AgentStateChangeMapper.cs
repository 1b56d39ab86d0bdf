using System.Collections;
using Avro;
using Avro.Generic;
using AgentStateProcessor.Domain;
using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.Processing.Snapshots;
using AgentStateProcessor.Schemas;

namespace AgentStateProcessor.Processing.Changes;

/// <summary>
/// Maps agent state changes to records of schemas/changes/AgentStateChange.avsc (Apache.Avro generic
/// records, written by the snapshots' encodings) and back. Timestamps are UTC <see cref="DateTime"/>s,
/// as for snapshots.
/// </summary>
public static class AgentStateChangeMapper
{
    public const string SchemaPath = "changes/AgentStateChange.avsc";

    public static RecordSchema Schema { get; } = EmbeddedSchemas.LoadRecord(SchemaPath);

    private static readonly RecordSchema SourceSchema = (RecordSchema)Schema["source"].Schema;
    // Shared symbols, as the snapshot mapper keeps them: a record is made for every change.
    private static readonly GenericEnum[] Statuses = SnapshotMapper.Symbols<AgentStatus>(SnapshotMapper.EnumOf(Schema, "previousState"));
    private static readonly GenericEnum[] WorkModes = SnapshotMapper.Symbols<AgentWorkMode>(SnapshotMapper.EnumOf(Schema, "previousWorkMode"));

    public static GenericRecord ToRecord(AgentStateChange c)
    {
        var r = new GenericRecord(Schema);
        r.Add("tenantId", c.TenantId);
        r.Add("agentId", c.AgentId);
        r.Add("previousState", Status(c.PreviousState));
        r.Add("previousWorkMode", WorkMode(c.PreviousWorkMode));
        r.Add("previousReasonCode", c.PreviousReasonCode);
        r.Add("state", Status(c.State));
        r.Add("workMode", WorkMode(c.WorkMode));
        r.Add("reasonCode", c.ReasonCode);
        r.Add("previousSince", c.PreviousSince is { } since ? SnapshotMapper.Instant(since) : null);
        r.Add("changedAt", SnapshotMapper.Instant(c.ChangedAt));
        r.Add("durationMicros", c.DurationMicros);
        r.Add("dn", c.Dn);
        r.Add("queues", c.Queues.ToArray());
        var source = new GenericRecord(SourceSchema);
        source.Add("topic", c.Source.Topic);
        source.Add("partition", c.Source.Partition);
        source.Add("offset", c.Source.Offset);
        r.Add("source", source);
        r.Add("eventName", c.EventName);
        r.Add("eventTime", SnapshotMapper.Instant(c.EventTime));
        return r;
    }

    public static AgentStateChange ToChange(GenericRecord r)
    {
        var source = (GenericRecord)r["source"];
        return new AgentStateChange(
            TenantId: (string)r["tenantId"],
            AgentId: (string)r["agentId"],
            PreviousState: Enum.Parse<AgentStatus>(((GenericEnum)r["previousState"]).Value),
            PreviousWorkMode: r["previousWorkMode"] is GenericEnum previousMode ? Enum.Parse<AgentWorkMode>(previousMode.Value) : null,
            PreviousReasonCode: (string?)r["previousReasonCode"],
            State: Enum.Parse<AgentStatus>(((GenericEnum)r["state"]).Value),
            WorkMode: r["workMode"] is GenericEnum mode ? Enum.Parse<AgentWorkMode>(mode.Value) : null,
            ReasonCode: (string?)r["reasonCode"],
            PreviousSince: r["previousSince"] is DateTime since ? SnapshotMapper.Micros(since) : null,
            ChangedAt: SnapshotMapper.Micros((DateTime)r["changedAt"]),
            DurationMicros: (long?)r["durationMicros"],
            Dn: (string?)r["dn"],
            Queues: [.. ((IEnumerable)r["queues"]).Cast<string>()],
            Source: new InputPosition((string)source["topic"], (int)source["partition"], (long)source["offset"]),
            EventName: (string)r["eventName"],
            EventTime: SnapshotMapper.Micros((DateTime)r["eventTime"]));
    }

    private static GenericEnum Status(AgentStatus status) => Statuses[(int)status];

    private static GenericEnum? WorkMode(AgentWorkMode? mode) => mode is { } m ? WorkModes[(int)m] : null;
}
