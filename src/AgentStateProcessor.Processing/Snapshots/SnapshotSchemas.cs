using Avro;
using AgentStateProcessor.Schemas;

namespace AgentStateProcessor.Processing.Snapshots;

/// <summary>The snapshot schemas of schemas/snapshots, embedded in the Schemas library and parsed by Apache.Avro.</summary>
public static class SnapshotSchemas
{
    public const string AgentPath = "snapshots/AgentSnapshot.avsc";
    public const string DnPath = "snapshots/DnSnapshot.avsc";

    public static RecordSchema Agent { get; } = EmbeddedSchemas.LoadRecord(AgentPath);
    public static RecordSchema Dn { get; } = EmbeddedSchemas.LoadRecord(DnPath);
}
