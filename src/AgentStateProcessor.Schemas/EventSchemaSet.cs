using Avro;
using AgentStateProcessor.Schemas.Generation;
using AgentStateProcessor.Schemas.Tables;

namespace AgentStateProcessor.Schemas;

/// <summary>
/// The event schemas (one Avro record per event of the tables: those the reference documents describe and the
/// extensions the real topic carries beyond them) together with the attribute tables they were generated from.
/// Immutable and safe to share between threads.
/// </summary>
public sealed class EventSchemaSet
{
    private static readonly Lazy<EventSchemaSet> Embedded = new(CreateEmbedded);

    private readonly Dictionary<string, RecordSchema> _schemas;
    private readonly HashSet<string> _extensions;

    internal EventSchemaSet(AttributeTableSet tables, IReadOnlyDictionary<string, RecordSchema> schemasByEvent)
    {
        Tables = tables;
        _schemas = new Dictionary<string, RecordSchema>(schemasByEvent, StringComparer.Ordinal);
        _extensions = tables.Events.Where(e => e.IsExtension).Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var missing = tables.Events.Select(e => e.Name).Where(name => !_schemas.ContainsKey(name)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException(
                $"No event schema for {string.Join(", ", missing)}: run tools/AgentStateProcessor.SchemaGenerator and rebuild.");
        }
        EventNames = tables.Events.Select(e => e.Name).Order(StringComparer.Ordinal).ToArray();
        ExtensionEventNames = tables.Events.Where(e => e.IsExtension).Select(e => e.Name).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The event names that have a schema, in ordinal order.</summary>
    public IReadOnlyCollection<string> EventNames { get; }

    /// <summary>
    /// The events of <see cref="EventNames"/> that the reference documents do not describe (<c>schemas/tables/extensions</c>),
    /// in ordinal order.
    /// </summary>
    public IReadOnlyCollection<string> ExtensionEventNames { get; }

    /// <summary>True when <paramref name="eventName"/> has a schema from <c>schemas/tables/extensions</c>.</summary>
    public bool IsExtension(string eventName) => _extensions.Contains(eventName);

    internal AttributeTableSet Tables { get; }

    /// <summary>The schemas embedded in this assembly (<c>schemas/events/**/*.avsc</c> and <c>schemas/tables/**/*.json</c>).</summary>
    public static EventSchemaSet LoadEmbedded() => Embedded.Value;

    /// <summary>The record schema (Apache.Avro) of <paramref name="eventName"/>, or null when no table describes that event.</summary>
    public RecordSchema? Find(string eventName) => _schemas.GetValueOrDefault(eventName);

    internal RecordSchema Get(string eventName) => _schemas[eventName];

    /// <summary>A set built from schema texts generated just now rather than the embedded files (tests use it).</summary>
    internal static EventSchemaSet FromGenerated(AttributeTableSet tables) =>
        new(tables, EventSchemaGenerator.Generate(tables).ToDictionary(
            pair => Path.GetFileNameWithoutExtension(pair.Key),
            pair => (RecordSchema)Schema.Parse(pair.Value),
            StringComparer.Ordinal));

    private static EventSchemaSet CreateEmbedded()
    {
        var tables = AttributeTableSet.LoadEmbedded();
        var schemas = tables.Events.ToDictionary(
            e => e.Name,
            e => EmbeddedSchemas.LoadRecord("events/" + EventSchemaGenerator.PathOf(e)),
            StringComparer.Ordinal);
        return new EventSchemaSet(tables, schemas);
    }
}
