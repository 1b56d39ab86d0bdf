using System.Text.Json;
using AgentStateProcessor.TestSupport;

namespace AgentStateProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// The attribute tables of the voice-agentstate events and of the extension events (schemas/tables/extensions),
/// read straight from schemas/tables so tests check generated records against the transcribed tables, not against
/// the generator's own lists.
/// </summary>
public sealed class VoiceAgentStateTables
{
    private VoiceAgentStateTables(
        IReadOnlyDictionary<string, EventTable> events,
        IReadOnlyDictionary<string, JsonElement> attributeTypes,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> enums)
    {
        Events = events;
        AttributeTypes = attributeTypes;
        Enums = enums;
    }

    public sealed record EventTable(string Name, IReadOnlySet<string> Mandatory, IReadOnlySet<string> All);

    public IReadOnlyDictionary<string, EventTable> Events { get; }

    /// <summary>Attribute name → its "avro" entry: a primitive name, an enum name, or a type object.</summary>
    public IReadOnlyDictionary<string, JsonElement> AttributeTypes { get; }

    /// <summary>Enum name → symbol → T-Library value.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Enums { get; }

    public static VoiceAgentStateTables Load()
    {
        var eventFiles = Directory.GetFiles(RepositoryRoot.PathOf("schemas", "tables", "extensions"), "*.json")
            .Prepend(RepositoryRoot.PathOf("schemas", "tables", "voice-agentstate-events.json"))
            .Select(path => JsonDocument.Parse(File.ReadAllBytes(path)))
            .ToList();
        using var typesDocument = JsonDocument.Parse(File.ReadAllBytes(RepositoryRoot.PathOf("schemas", "tables", "attribute-types.json")));

        var events = eventFiles.SelectMany(document => document.RootElement.GetProperty("events").EnumerateArray())
            .Select(table =>
            {
                var attributes = table.GetProperty("attributes").EnumerateArray().ToList();
                return new EventTable(
                    table.GetProperty("name").GetString()!,
                    attributes.Where(attribute => attribute.GetProperty("mandatory").GetBoolean())
                        .Select(attribute => attribute.GetProperty("name").GetString()!).ToHashSet(),
                    attributes.Select(attribute => attribute.GetProperty("name").GetString()!).ToHashSet());
            })
            .ToDictionary(table => table.Name);
        eventFiles.ForEach(document => document.Dispose());

        var attributeTypes = typesDocument.RootElement.GetProperty("attributes").EnumerateObject()
            .ToDictionary(attribute => attribute.Name, attribute => attribute.Value.GetProperty("avro").Clone());

        var enums = typesDocument.RootElement.GetProperty("enums").EnumerateObject()
            .ToDictionary(
                enumeration => enumeration.Name,
                enumeration => (IReadOnlyDictionary<string, int>)enumeration.Value.GetProperty("symbols").EnumerateArray()
                    .ToDictionary(symbol => symbol.GetProperty("symbol").GetString()!, symbol => symbol.GetProperty("value").GetInt32()));

        return new VoiceAgentStateTables(events, attributeTypes, enums);
    }

    /// <summary>
    /// Whether <paramref name="value"/> fits the attribute's type as the tables describe it (string attributes
    /// also take JSON numbers; enums take the symbol or its number; time takes its three encodings).
    /// </summary>
    public bool Fits(string attribute, JsonElement value)
    {
        if (!AttributeTypes.TryGetValue(attribute, out var type))
        {
            return false;
        }

        if (type.ValueKind == JsonValueKind.Object)
        {
            return type.GetProperty("type").GetString() switch
            {
                "map" => value.ValueKind == JsonValueKind.Object,
                "long" when type.TryGetProperty("logicalType", out _) => IsTime(value),
                _ => throw new NotSupportedException($"Attribute type {type} of {attribute}"),
            };
        }

        var typeName = type.GetString()!;
        if (Enums.TryGetValue(typeName, out var symbols))
        {
            return value.ValueKind switch
            {
                JsonValueKind.String => symbols.ContainsKey(value.GetString()!),
                JsonValueKind.Number => value.TryGetInt32(out var number) && symbols.Values.Contains(number),
                _ => false,
            };
        }

        return typeName switch
        {
            "string" => value.ValueKind is JsonValueKind.String or JsonValueKind.Number,
            "int" => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _),
            "long" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
            _ => throw new NotSupportedException($"Attribute type {typeName} of {attribute}"),
        };
    }

    private static bool IsTime(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => true,
        JsonValueKind.Object => value.TryGetProperty("timeinSecs", out var seconds) && seconds.ValueKind == JsonValueKind.Number,
        JsonValueKind.String => DateTimeOffset.TryParse(value.GetString(), System.Globalization.CultureInfo.InvariantCulture, out _),
        _ => false,
    };
}
