using System.Buffers;
using System.Collections;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AgentStateProcessor.Avro;

/// <summary>
/// The Avro JSON encoding of generic values: unions other than null as <c>{"branch": value}</c> (the branch's full
/// name or type name), bytes and fixed as strings of ISO-8859-1 code points. Non-finite floats, which JSON numbers
/// cannot hold, are written as the strings "NaN", "Infinity" and "-Infinity".
/// </summary>
public static class AvroJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <exception cref="AvroException">The value does not fit the schema; the message names the field path.</exception>
    public static string ToJson(AvroSchema schema, object? value)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            try
            {
                Write(schema, value, writer, depth: 0);
            }
            catch (AvroValueException ex)
            {
                throw ex.ToPublic(schema);
            }
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Write(AvroSchema schema, object? value, Utf8JsonWriter writer, int depth)
    {
        if (depth >= BinaryEncoder.MaxDepth)
        {
            throw AvroValueException.TooDeep(BinaryEncoder.MaxDepth);
        }
        switch (schema.Type)
        {
            case AvroType.Null:
                writer.WriteNullValue();
                if (value is not null)
                {
                    throw AvroValueException.Mismatch(schema, value);
                }
                break;
            case AvroType.Boolean:
                writer.WriteBooleanValue(value is bool flag ? flag : throw AvroValueException.Mismatch(schema, value));
                break;
            case AvroType.Int:
                writer.WriteNumberValue(value is int intValue ? intValue : throw AvroValueException.Mismatch(schema, value));
                break;
            case AvroType.Long:
                writer.WriteNumberValue(value switch
                {
                    long longValue => longValue,
                    int narrower => narrower,
                    _ => throw AvroValueException.Mismatch(schema, value),
                });
                break;
            case AvroType.Float:
                // Written as the exact double value of the float, so any reader gets back the same float.
                WriteFloatingPoint(writer, value is float floatValue ? floatValue : throw AvroValueException.Mismatch(schema, value));
                break;
            case AvroType.Double:
                WriteFloatingPoint(writer, value switch
                {
                    double doubleValue => doubleValue,
                    float narrower => narrower,
                    _ => throw AvroValueException.Mismatch(schema, value),
                });
                break;
            case AvroType.Bytes:
                WriteLatin1(writer, value as byte[] ?? throw AvroValueException.Mismatch(schema, value));
                break;
            case AvroType.String:
                WriteString(writer, value as string ?? throw AvroValueException.Mismatch(schema, value));
                break;
            case AvroType.Record:
                WriteRecord((RecordSchema)schema, value, writer, depth);
                break;
            case AvroType.Enum:
                var enumSchema = (EnumSchema)schema;
                writer.WriteStringValue(enumSchema.Symbols[BinaryEncoder.EnumIndex(enumSchema, value)]);
                break;
            case AvroType.Array:
                WriteArray((ArraySchema)schema, value, writer, depth);
                break;
            case AvroType.Map:
                WriteMap((MapSchema)schema, value, writer, depth);
                break;
            case AvroType.Union:
                var union = (UnionSchema)schema;
                var branchIndex = union.SelectBranch(value);
                if (branchIndex < 0)
                {
                    throw AvroValueException.Mismatch(schema, value);
                }
                var branch = union.BranchArray[branchIndex];
                if (branch.Type == AvroType.Null)
                {
                    writer.WriteNullValue();
                    break;
                }
                writer.WriteStartObject();
                writer.WritePropertyName(branch is NamedSchema named ? named.FullName : branch.Type.ToSchemaName());
                Write(branch, value, writer, depth + 1);
                writer.WriteEndObject();
                break;
            case AvroType.Fixed:
                WriteLatin1(writer, BinaryEncoder.FixedBytes((FixedSchema)schema, value));
                break;
            default:
                throw new InvalidOperationException("Unhandled Avro type " + schema.Type);
        }
    }

    private static void WriteRecord(RecordSchema schema, object? value, Utf8JsonWriter writer, int depth)
    {
        if (value is not GenericRecord record || !UnionSchema.SameName(schema, record.Schema) ||
            record.Schema.FieldArray.Length != schema.FieldArray.Length)
        {
            throw AvroValueException.Mismatch(schema, value);
        }
        writer.WriteStartObject();
        foreach (var field in schema.FieldArray)
        {
            writer.WritePropertyName(field.Name);
            try
            {
                Write(field.Schema, record.GetValueAt(field.Position), writer, depth + 1);
            }
            catch (AvroValueException ex)
            {
                throw ex.Within(AvroValueException.FieldSegment(field.Name));
            }
        }
        writer.WriteEndObject();
    }

    private static void WriteArray(ArraySchema schema, object? value, Utf8JsonWriter writer, int depth)
    {
        if (value is not IList list || value is byte[])
        {
            throw AvroValueException.Mismatch(schema, value);
        }
        writer.WriteStartArray();
        for (var i = 0; i < list.Count; i++)
        {
            try
            {
                Write(schema.Items, list[i], writer, depth + 1);
            }
            catch (AvroValueException ex)
            {
                throw ex.Within(AvroValueException.IndexSegment(i));
            }
        }
        writer.WriteEndArray();
    }

    private static void WriteMap(MapSchema schema, object? value, Utf8JsonWriter writer, int depth)
    {
        if (value is not IDictionary<string, object?> map)
        {
            throw AvroValueException.Mismatch(schema, value);
        }
        writer.WriteStartObject();
        foreach (var entry in map)
        {
            try
            {
                WritePropertyName(writer, entry.Key);
                Write(schema.Values, entry.Value, writer, depth + 1);
            }
            catch (AvroValueException ex)
            {
                throw ex.Within(AvroValueException.KeySegment(entry.Key));
            }
        }
        writer.WriteEndObject();
    }

    private static void WriteFloatingPoint(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }

    private static void WriteLatin1(Utf8JsonWriter writer, byte[] bytes)
    {
        var text = string.Create(bytes.Length, bytes, static (chars, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                chars[i] = (char)source[i];
            }
        });
        writer.WriteStringValue(text);
    }

    private static void WriteString(Utf8JsonWriter writer, string value)
    {
        try
        {
            writer.WriteStringValue(value);
        }
        catch (ArgumentException)
        {
            throw new AvroValueException("the string holds an unpaired UTF-16 surrogate, so it has no UTF-8 encoding");
        }
    }

    private static void WritePropertyName(Utf8JsonWriter writer, string name)
    {
        try
        {
            writer.WritePropertyName(name);
        }
        catch (ArgumentException)
        {
            throw new AvroValueException("the map key holds an unpaired UTF-16 surrogate, so it has no UTF-8 encoding");
        }
    }
}
