using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AgentStateProcessor.Schemas.Tables;

namespace AgentStateProcessor.Schemas.Generation;

/// <summary>
/// Turns the attribute tables into one Avro record schema per event: named exactly as the event, fields named
/// exactly as the attributes in table order, mandatory attributes as their type, optional ones as
/// <c>["null", T]</c> with default null. Every schema stands alone (enumerations are defined inline where used).
/// A doc is its table's one-sentence description (notes stay in the tables); <c>sourceTitle</c> and <c>sourceUrl</c>
/// on the record cite the page the event comes from, and <c>origin</c> on the record and its fields marks an event
/// the reference documents do not describe. The output is deterministic: the same tables give the same bytes.
/// </summary>
public static class EventSchemaGenerator
{
    /// <summary>The namespace of every generated event record and enumeration.</summary>
    public const string Namespace = "agentstateprocessor.events";

    /// <summary>
    /// Schema paths relative to <c>schemas/events</c> (<c>&lt;EventName&gt;.avsc</c>, or <c>extensions/&lt;EventName&gt;.avsc</c>
    /// for an event the reference documents do not describe) to their JSON text, in ordinal order of path.
    /// </summary>
    public static IReadOnlyDictionary<string, string> GenerateFromDirectory(string tablesDirectory) =>
        Generate(AttributeTableSet.LoadDirectory(tablesDirectory));

    internal static IReadOnlyDictionary<string, string> Generate(AttributeTableSet tables)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in tables.Events)
        {
            files.Add(PathOf(table), GenerateOne(table, tables));
        }
        return files;
    }

    /// <summary>The event's schema path relative to <c>schemas/events</c>, forward slashes.</summary>
    internal static string PathOf(EventTable table) =>
        (table.IsExtension ? AttributeTableSet.ExtensionsFolder : "") + table.Name + ".avsc";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        IndentSize = 2,
        NewLine = "\n",
        // Docs and source titles hold apostrophes and parentheses; keep them readable rather than \u-escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static string GenerateOne(EventTable table, AttributeTableSet tables)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            var definedEnums = new HashSet<string>(StringComparer.Ordinal);
            writer.WriteStartObject();
            writer.WriteString("type", "record");
            writer.WriteString("name", table.Name);
            writer.WriteString("namespace", Namespace);
            writer.WriteString("doc", table.Description);
            writer.WriteString("sourceTitle", table.Source.Title);
            if (table.Source.Url is not null)
            {
                writer.WriteString("sourceUrl", table.Source.Url);
            }
            if (table.Origin is not null)
            {
                writer.WriteString("origin", table.Origin);
            }
            writer.WriteStartArray("fields");
            foreach (var attribute in table.Attributes)
            {
                WriteField(writer, attribute, tables, definedEnums);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteField(Utf8JsonWriter writer, TableAttribute attribute, AttributeTableSet tables, HashSet<string> definedEnums)
    {
        var type = tables.TypeOf(attribute.Name);
        writer.WriteStartObject();
        writer.WriteString("name", attribute.Name);
        writer.WritePropertyName("type");
        if (attribute.Mandatory)
        {
            WriteType(writer, type.Avro, tables, definedEnums);
        }
        else
        {
            writer.WriteStartArray();
            writer.WriteStringValue("null");
            WriteType(writer, type.Avro, tables, definedEnums);
            writer.WriteEndArray();
            writer.WriteNull("default");
        }
        writer.WriteString("doc", type.Description);
        if (attribute.DocumentName is not null)
        {
            writer.WriteString("documentName", attribute.DocumentName);
        }
        if (attribute.Origin is not null)
        {
            writer.WriteString("origin", attribute.Origin);
        }
        writer.WriteEndObject();
    }

    private static void WriteType(Utf8JsonWriter writer, JsonElement avro, AttributeTableSet tables, HashSet<string> definedEnums)
    {
        if (avro.ValueKind == JsonValueKind.String && tables.FindEnum(avro.GetString()!) is { } definition)
        {
            var name = avro.GetString()!;
            if (!definedEnums.Add(name))
            {
                writer.WriteStringValue(name);
                return;
            }
            writer.WriteStartObject();
            writer.WriteString("type", "enum");
            writer.WriteString("name", name);
            writer.WriteString("doc", definition.Description);
            writer.WriteStartArray("symbols");
            foreach (var symbol in definition.Symbols)
            {
                writer.WriteStringValue(symbol.Symbol);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
            return;
        }
        avro.WriteTo(writer);
    }
}
