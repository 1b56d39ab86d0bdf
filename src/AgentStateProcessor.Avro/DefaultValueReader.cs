using System.Text.Json;

namespace AgentStateProcessor.Avro;

/// <summary>Reads a field default (JSON, in the Avro JSON encoding without union wrappers) into a generic value.</summary>
internal static class DefaultValueReader
{
    private const int MaxDepth = 64;

    public static object? Read(AvroSchema schema, JsonElement json, string fieldName)
    {
        try
        {
            return ReadValue(schema, json, depth: 0);
        }
        catch (InvalidDefaultException ex)
        {
            throw new AvroSchemaException($"Field '{fieldName}': invalid default {Abbreviate(json)}: {ex.Message}");
        }
    }

    private static object? ReadValue(AvroSchema schema, JsonElement json, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidDefaultException("the default nests deeper than " + MaxDepth + " levels (does a record default itself?)");
        }
        switch (schema.Type)
        {
            case AvroType.Null:
                return json.ValueKind == JsonValueKind.Null ? null : throw Expected("null", json);
            case AvroType.Boolean:
                return json.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw Expected("boolean", json),
                };
            case AvroType.Int:
                return json.ValueKind == JsonValueKind.Number && json.TryGetInt32(out var intValue) ? intValue : throw Expected("int", json);
            case AvroType.Long:
                return json.ValueKind == JsonValueKind.Number && json.TryGetInt64(out var longValue) ? longValue : throw Expected("long", json);
            case AvroType.Float:
                return json.ValueKind == JsonValueKind.Number ? (float)json.GetDouble() : throw Expected("float", json);
            case AvroType.Double:
                return json.ValueKind == JsonValueKind.Number ? json.GetDouble() : throw Expected("double", json);
            case AvroType.String:
                return json.ValueKind == JsonValueKind.String ? json.GetString() : throw Expected("string", json);
            case AvroType.Bytes:
                return ReadLatin1(json, "bytes");
            case AvroType.Fixed:
                var fixedSchema = (FixedSchema)schema;
                var bytes = ReadLatin1(json, "fixed " + fixedSchema.FullName);
                return bytes.Length == fixedSchema.Size
                    ? new GenericFixed(fixedSchema, bytes)
                    : throw new InvalidDefaultException($"fixed {fixedSchema.FullName} needs {fixedSchema.Size} bytes, the default has {bytes.Length}");
            case AvroType.Enum:
                var enumSchema = (EnumSchema)schema;
                var symbol = json.ValueKind == JsonValueKind.String ? json.GetString()! : throw Expected("enum symbol", json);
                var index = enumSchema.IndexOf(symbol);
                return index >= 0 ? enumSchema.ValueAt(index) : throw new InvalidDefaultException($"'{symbol}' is not a symbol of enum {enumSchema.FullName}");
            case AvroType.Array:
                if (json.ValueKind != JsonValueKind.Array)
                {
                    throw Expected("array", json);
                }
                var items = ((ArraySchema)schema).Items;
                var list = new List<object?>(json.GetArrayLength());
                foreach (var item in json.EnumerateArray())
                {
                    list.Add(ReadValue(items, item, depth + 1));
                }
                return list;
            case AvroType.Map:
                if (json.ValueKind != JsonValueKind.Object)
                {
                    throw Expected("map (JSON object)", json);
                }
                var values = ((MapSchema)schema).Values;
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var entry in json.EnumerateObject())
                {
                    map[entry.Name] = ReadValue(values, entry.Value, depth + 1);
                }
                return map;
            case AvroType.Union:
                // Avro 1.11: a union's default is a value of its first branch.
                return ReadValue(((UnionSchema)schema).BranchArray[0], json, depth + 1);
            case AvroType.Record:
                return ReadRecord((RecordSchema)schema, json, depth);
            default:
                throw new InvalidOperationException("Unhandled Avro type " + schema.Type);
        }
    }

    private static GenericRecord ReadRecord(RecordSchema schema, JsonElement json, int depth)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw Expected("record " + schema.FullName + " (JSON object)", json);
        }
        var record = new GenericRecord(schema);
        foreach (var field in schema.FieldArray)
        {
            if (json.TryGetProperty(field.Name, out var fieldJson))
            {
                record[field.Position] = ReadValue(field.Schema, fieldJson, depth + 1);
            }
            else if (field.DefaultJson is { } fieldDefault)
            {
                record[field.Position] = ReadValue(field.Schema, fieldDefault, depth + 1);
            }
            else
            {
                throw new InvalidDefaultException($"record {schema.FullName} default lacks field '{field.Name}', which has no default of its own");
            }
        }
        return record;
    }

    private static byte[] ReadLatin1(JsonElement json, string expected)
    {
        if (json.ValueKind != JsonValueKind.String)
        {
            throw Expected(expected + " (ISO-8859-1 string)", json);
        }
        var text = json.GetString()!;
        var bytes = new byte[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            bytes[i] = text[i] <= '\u00ff' ? (byte)text[i] : throw new InvalidDefaultException($"character U+{(int)text[i]:X4} cannot be a byte");
        }
        return bytes;
    }

    private static InvalidDefaultException Expected(string expected, JsonElement json) =>
        new($"expected {expected}, got JSON {json.ValueKind.ToString().ToLowerInvariant()}");

    private static string Abbreviate(JsonElement element)
    {
        var text = element.GetRawText();
        return text.Length <= 80 ? text : text[..77] + "...";
    }

    private sealed class InvalidDefaultException(string message) : Exception(message);
}
