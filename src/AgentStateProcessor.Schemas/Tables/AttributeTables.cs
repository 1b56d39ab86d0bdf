using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentStateProcessor.Schemas.Tables;

/// <summary>One reference page's events as data: <c>schemas/tables/&lt;name&gt;-events.json</c>.</summary>
internal sealed record EventTableFile(
    SourceReference Source,
    IReadOnlyList<string>? Notes,
    IReadOnlyList<EventTable> Events);

/// <summary>A public document the tables take their facts from, cited by title and, where it has one, address.</summary>
internal sealed record SourceReference(string Title, string? Url = null);

/// <summary>An event as its reference page lists it; attributes in the page's table order.</summary>
internal sealed record EventTable(
    string Name,
    string Description,
    IReadOnlyList<TableAttribute> Attributes,
    IReadOnlyList<string>? DocumentNames = null,
    IReadOnlyList<string>? Notes = null)
{
    /// <summary>The page the event comes from (set from its table file, not written per event).</summary>
    [JsonIgnore]
    public SourceReference Source { get; init; } = new("");
}

/// <param name="Name">The Avro field name: the attribute's name, or a legal name mapped from <paramref name="DocumentName"/>.</param>
/// <param name="DocumentName">The name as the reference page writes it, when it differs from <paramref name="Name"/>.</param>
/// <param name="InputNames">JSON keys accepted for the attribute besides <paramref name="Name"/>.</param>
/// <param name="FromProse">The page's prose, not its table, names the attribute.</param>
internal sealed record TableAttribute(
    string Name,
    bool Mandatory,
    string? Note = null,
    string? DocumentName = null,
    IReadOnlyList<string>? InputNames = null,
    bool FromProse = false);

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
