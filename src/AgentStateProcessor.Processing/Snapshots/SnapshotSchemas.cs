using Avro;
using AgentStateProcessor.Schemas;

namespace AgentStateProcessor.Processing.Snapshots;

/// <summary>The snapshot schemas of schemas/snapshots, embedded in the Schemas library and parsed by Apache.Avro.</summary>
public static class SnapshotSchemas
{
    public const string AgentPath = "snapshots/AgentSnapshot.avsc";
    public const string DnPath = "snapshots/DnSnapshot.avsc";
    /// <summary>Where earlier versions of the snapshot schemas are kept (schemas/snapshots/previous), so their snapshots still restore.</summary>
    public const string PreviousFolder = "snapshots/previous/";

    public static RecordSchema Agent { get; } = EmbeddedSchemas.LoadRecord(AgentPath);
    public static RecordSchema Dn { get; } = EmbeddedSchemas.LoadRecord(DnPath);

    /// <summary>
    /// Every earlier version of a snapshot schema this processor published: snapshots written under one of them
    /// (single-object encoding names its writer only by fingerprint) are read through Avro schema resolution.
    /// </summary>
    public static IReadOnlyList<RecordSchema> Previous { get; } =
        [.. EmbeddedSchemas.Paths.Where(path => path.StartsWith(PreviousFolder, StringComparison.Ordinal)).Select(EmbeddedSchemas.LoadRecord)];
}
