using AgentStateProcessor.Avro;
using AgentStateProcessor.Schemas;

namespace AgentStateProcessor.Processing.Snapshots;

/// <summary>The snapshot schemas of schemas/snapshots, embedded in the Schemas library.</summary>
public static class SnapshotSchemas
{
    public static RecordSchema Agent { get; } = Load("snapshots/AgentSnapshot.avsc");
    public static RecordSchema Dn { get; } = Load("snapshots/DnSnapshot.avsc");

    private static RecordSchema Load(string name) =>
        EmbeddedSchemas.Load(name) as RecordSchema ?? throw new InvalidOperationException($"{name} is not a record schema");
}
