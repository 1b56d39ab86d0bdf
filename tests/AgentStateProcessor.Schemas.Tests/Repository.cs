using AgentStateProcessor.TestSupport;

namespace AgentStateProcessor.Schemas.Tests;

/// <summary>Paths in the source tree the tests were built from.</summary>
internal static class Repository
{
    public static string Root => RepositoryRoot.Path;

    public static string TablesDirectory => Path.Combine(Root, "schemas", "tables");

    public static string SchemasDirectory => Path.Combine(Root, "schemas");

    public static string EventsDirectory => Path.Combine(SchemasDirectory, "events");

    public static string SnapshotsDirectory => Path.Combine(SchemasDirectory, "snapshots");

    public static string ChangesDirectory => Path.Combine(SchemasDirectory, "changes");

    public static string SamplesDirectory => Path.Combine(Root, "samples");

    /// <summary>
    /// Every committed <c>.avsc</c> below <c>schemas/</c>, in ordinal order: the events (extensions included), the
    /// snapshots (previous versions included) and the state change.
    /// </summary>
    public static string[] CommittedSchemas() =>
        Directory.GetFiles(SchemasDirectory, "*.avsc", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Every committed event schema, those of the extensions (<c>schemas/events/extensions/</c>) included.</summary>
    public static string[] CommittedEventSchemas() =>
        Directory.GetFiles(EventsDirectory, "*.avsc", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();

    /// <summary>The path of <paramref name="path"/> relative to <c>schemas/</c>, with forward slashes, as embedded.</summary>
    public static string SchemaPathOf(string path) => Path.GetRelativePath(SchemasDirectory, path).Replace('\\', '/');
}
