using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentStateProcessor.Schemas.Tables;

/// <summary>
/// One source page's events as data: <c>schemas/tables/&lt;name&gt;-events.json</c> for the reference documents,
/// <c>schemas/tables/extensions/&lt;name&gt;-events.json</c> for events they do not describe.
/// </summary>
internal sealed record EventTableFile(
    SourceReference Source,
    IReadOnlyList<string>? Notes,
    IReadOnlyList<EventTable> Events);

/// <summary>A public document the tables take their facts from, cited by title and, where it has one, address.</summary>
internal sealed record SourceReference(string Title, string? Url = null);

/// <summary>Values of <see cref="EventTable.Origin"/> and <see cref="TableAttribute.Origin"/>.</summary>
internal static class TableOrigins
{
    /// <summary>Not from the reference documents: an event the real topic carries, described from another public source.</summary>
    public const string Extension = "extension";
}

/// <summary>An event as its reference page lists it; attributes in the page's table order.</summary>
/// <param name="Origin">Null for an event of the reference documents, <see cref="TableOrigins.Extension"/> otherwise.</param>
internal sealed record EventTable(
    string Name,
    string Description,
    IReadOnlyList<TableAttribute> Attributes,
    IReadOnlyList<string>? DocumentNames = null,
    IReadOnlyList<string>? Notes = null,
    string? Origin = null)
{
    /// <summary>The page the event comes from (set from its table file, not written per event).</summary>
    [JsonIgnore]
    public SourceReference Source { get; init; } = new("");

    /// <summary>The event is not described by the reference documents (its table is under <c>tables/extensions/</c>).</summary>
    [JsonIgnore]
    public bool IsExtension => Origin == TableOrigins.Extension;

    /// <summary>Its table file lies under <c>tables/extensions/</c> (set on loading; checked against <see cref="Origin"/>).</summary>
    [JsonIgnore]
    public bool InExtensionsFolder { get; init; }
}

/// <param name="Name">The Avro field name: the attribute's name, or a legal name mapped from <paramref name="DocumentName"/>.</param>
/// <param name="DocumentName">The name as the reference page writes it, when it differs from <paramref name="Name"/>.</param>
/// <param name="InputNames">JSON keys accepted for the attribute besides <paramref name="Name"/>.</param>
/// <param name="FromProse">The page's prose, not its table, names the attribute.</param>
/// <param name="Origin">Null for an attribute the reference documents list, <see cref="TableOrigins.Extension"/> otherwise.</param>
internal sealed record TableAttribute(
    string Name,
    bool Mandatory,
    string? Note = null,
    string? DocumentName = null,
    IReadOnlyList<string>? InputNames = null,
    bool FromProse = false,
    string? Origin = null);

/// <summary><c>schemas/tables/attribute-types.json</c>: the Avro type of every attribute, and the enumerations.</summary>
internal sealed record AttributeTypeFile(
    string Title,
    IReadOnlyList<string>? Notes,
    IReadOnlyDictionary<string, AttributeType> Attributes,
    IReadOnlyDictionary<string, EnumDefinition> Enums);

/// <param name="Avro">A literal Avro type, or the name of an entry of <see cref="AttributeTypeFile.Enums"/>.</param>
internal sealed record AttributeType(
    JsonElement Avro,
    string Description,
    string? Note = null);

internal sealed record EnumDefinition(
    string Description,
    IReadOnlyList<SourceReference> Sources,
    IReadOnlyList<EnumSymbol> Symbols,
    string? Note = null);

/// <param name="Value">The T-Library numeric value, which feeds may send instead of the symbol.</param>
internal sealed record EnumSymbol(string Symbol, int Value);
