using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AgentStateProcessor.Avro;

/// <summary>Writes schemas as JSON: the Parsing Canonical Form, and the full form that <see cref="AvroSchema.ToString"/> returns.</summary>
internal static class SchemaJsonWriter
{
    private static readonly JsonWriterOptions FullJsonOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    /// <summary>
    /// Parsing Canonical Form: full names, only the attributes that affect parsing (in the order name, type, fields,
    /// symbols, items, values, size), primitives as bare names, no whitespace, each named type spelled out once.
    /// Names and symbols are validated identifiers, so no JSON string needs escaping.
    /// </summary>
    public static string WriteCanonicalForm(AvroSchema schema)
    {
        var builder = new StringBuilder();
        WriteCanonical(schema, builder, new HashSet<string>(StringComparer.Ordinal));
        return builder.ToString();
    }

    private static void WriteCanonical(AvroSchema schema, StringBuilder builder, HashSet<string> written)
    {
        switch (schema)
        {
            case PrimitiveSchema:
                builder.Append('"').Append(schema.Type.ToSchemaName()).Append('"');
                break;
            case NamedSchema named when !written.Add(named.FullName):
                builder.Append('"').Append(named.FullName).Append('"');
                break;
            case RecordSchema record:
                builder.Append("{\"name\":\"").Append(record.FullName).Append("\",\"type\":\"record\",\"fields\":[");
                for (var i = 0; i < record.FieldArray.Length; i++)
                {
                    var field = record.FieldArray[i];
                    builder.Append(i == 0 ? "" : ",").Append("{\"name\":\"").Append(field.Name).Append("\",\"type\":");
                    WriteCanonical(field.Schema, builder, written);
                    builder.Append('}');
                }
                builder.Append("]}");
                break;
            case EnumSchema enumSchema:
                builder.Append("{\"name\":\"").Append(enumSchema.FullName).Append("\",\"type\":\"enum\",\"symbols\":[");
                for (var i = 0; i < enumSchema.Symbols.Count; i++)
                {
                    builder.Append(i == 0 ? "\"" : ",\"").Append(enumSchema.Symbols[i]).Append('"');
                }
                builder.Append("]}");
                break;
            case FixedSchema fixedSchema:
                builder.Append("{\"name\":\"").Append(fixedSchema.FullName).Append("\",\"type\":\"fixed\",\"size\":")
                    .Append(fixedSchema.Size.ToString(CultureInfo.InvariantCulture)).Append('}');
                break;
            case ArraySchema array:
                builder.Append("{\"type\":\"array\",\"items\":");
                WriteCanonical(array.Items, builder, written);
                builder.Append('}');
                break;
            case MapSchema map:
                builder.Append("{\"type\":\"map\",\"values\":");
                WriteCanonical(map.Values, builder, written);
                builder.Append('}');
                break;
            case UnionSchema union:
                builder.Append('[');
                for (var i = 0; i < union.BranchArray.Length; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(',');
                    }
                    WriteCanonical(union.BranchArray[i], builder, written);
                }
                builder.Append(']');
                break;
            default:
                throw new InvalidOperationException("Unhandled schema " + schema.GetType().Name);
        }
    }

    /// <summary>
    /// The whole schema as JSON that parses back to an equal schema: named types are spelled out on first use and
    /// referenced by full name afterwards; namespaces are written where they differ from the enclosing one.
    /// </summary>
    public static string WriteFullJson(AvroSchema schema)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, FullJsonOptions))
        {
            WriteFull(schema, writer, enclosingNamespace: null, new HashSet<string>(StringComparer.Ordinal));
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteFull(AvroSchema schema, Utf8JsonWriter writer, string? enclosingNamespace, HashSet<string> written)
    {
        switch (schema)
        {
            case PrimitiveSchema when schema.LogicalType is null && schema.Properties.Count == 0:
                writer.WriteStringValue(schema.Type.ToSchemaName());
                return;
            case NamedSchema named when !written.Add(named.FullName):
                writer.WriteStringValue(named.FullName);
                return;
            case UnionSchema union:
                writer.WriteStartArray();
                foreach (var branch in union.BranchArray)
                {
                    WriteFull(branch, writer, enclosingNamespace, written);
                }
                writer.WriteEndArray();
                return;
        }

        writer.WriteStartObject();
        writer.WriteString("type", schema.Type.ToSchemaName());
        var innerNamespace = enclosingNamespace;
        if (schema is NamedSchema namedSchema)
        {
            writer.WriteString("name", namedSchema.Name);
            if (namedSchema.Namespace != enclosingNamespace)
            {
                writer.WriteString("namespace", namedSchema.Namespace ?? "");
            }
            innerNamespace = namedSchema.Namespace;
            if (namedSchema.Doc is not null)
            {
                writer.WriteString("doc", namedSchema.Doc);
            }
            if (namedSchema.Aliases.Count > 0)
            {
                WriteStringArray(writer, "aliases", namedSchema.Aliases);
            }
        }
        if (schema.LogicalType is not null)
        {
            writer.WriteString("logicalType", schema.LogicalType);
        }

        switch (schema)
        {
            case RecordSchema record:
                writer.WritePropertyName("fields");
                writer.WriteStartArray();
                foreach (var field in record.FieldArray)
                {
                    WriteField(field, writer, innerNamespace, written);
                }
                writer.WriteEndArray();
                break;
            case EnumSchema enumSchema:
                WriteStringArray(writer, "symbols", enumSchema.Symbols);
                if (enumSchema.Default is not null)
                {
                    writer.WriteString("default", enumSchema.Default);
                }
                break;
            case FixedSchema fixedSchema:
                writer.WriteNumber("size", fixedSchema.Size);
                break;
            case ArraySchema array:
                writer.WritePropertyName("items");
                WriteFull(array.Items, writer, innerNamespace, written);
                break;
            case MapSchema map:
                writer.WritePropertyName("values");
                WriteFull(map.Values, writer, innerNamespace, written);
                break;
        }
        WriteProperties(writer, schema.Properties);
        writer.WriteEndObject();
    }

    private static void WriteField(AvroField field, Utf8JsonWriter writer, string? enclosingNamespace, HashSet<string> written)
    {
        writer.WriteStartObject();
        writer.WriteString("name", field.Name);
        writer.WritePropertyName("type");
        WriteFull(field.Schema, writer, enclosingNamespace, written);
        if (field.Doc is not null)
        {
            writer.WriteString("doc", field.Doc);
        }
        if (field.DefaultJson is { } defaultJson)
        {
            writer.WritePropertyName("default");
            defaultJson.WriteTo(writer);
        }
        if (field.Order is not null)
        {
            writer.WriteString("order", field.Order);
        }
        if (field.Aliases.Count > 0)
        {
            WriteStringArray(writer, "aliases", field.Aliases);
        }
        WriteProperties(writer, field.Properties);
        writer.WriteEndObject();
    }

    private static void WriteStringArray(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        writer.WritePropertyName(name);
        writer.WriteStartArray();
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }
        writer.WriteEndArray();
    }

    private static void WriteProperties(Utf8JsonWriter writer, IReadOnlyList<SchemaProperty> properties)
    {
        foreach (var property in properties)
        {
            writer.WritePropertyName(property.Name);
            property.Value.WriteTo(writer);
        }
    }
}
