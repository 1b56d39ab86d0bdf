using System.Collections;
using System.Text.Json;
using Avro;
using Avro.Generic;

namespace AgentStateProcessor.Processing.Snapshots;

/// <summary>
/// Writes an Apache.Avro generic value as the JSON a person expects: unions unwrapped, enums as
/// their symbol, timestamps as ISO-8601 text. For operators' output; consumers read the Avro bytes.
/// </summary>
public static class PlainJson
{
    public static void Write(Utf8JsonWriter writer, Schema schema, object? value)
    {
        switch (schema)
        {
            case UnionSchema union:
                Write(writer, Branch(union, value), value);
                return;
            case RecordSchema record:
                var fields = (GenericRecord)value!;
                writer.WriteStartObject();
                foreach (var field in record.Fields)
                {
                    writer.WritePropertyName(field.Name);
                    Write(writer, field.Schema, fields.GetValue(field.Pos));
                }
                writer.WriteEndObject();
                return;
            case ArraySchema array:
                writer.WriteStartArray();
                foreach (var item in (IEnumerable)value!) Write(writer, array.ItemSchema, item);
                writer.WriteEndArray();
                return;
            case MapSchema map:
                writer.WriteStartObject();
                foreach (var (key, item) in (IDictionary<string, object>)value!)
                {
                    writer.WritePropertyName(key);
                    Write(writer, map.ValueSchema, item);
                }
                writer.WriteEndObject();
                return;
        }

        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            // Apache.Avro's value of timestamp-millis and timestamp-micros.
            case DateTime instant: writer.WriteStringValue(new DateTimeOffset(instant.ToUniversalTime()).ToString("O")); break;
            case GenericEnum symbol: writer.WriteStringValue(symbol.Value); break;
            case string text: writer.WriteStringValue(text); break;
            case bool flag: writer.WriteBooleanValue(flag); break;
            case int number: writer.WriteNumberValue(number); break;
            case long number: writer.WriteNumberValue(number); break;
            case float number: writer.WriteNumberValue(number); break;
            case double number: writer.WriteNumberValue(number); break;
            case byte[] bytes: writer.WriteBase64StringValue(bytes); break;
            case GenericFixed fixedValue: writer.WriteBase64StringValue(fixedValue.Value); break;
            default: writer.WriteStringValue(value.ToString()); break;
        }
    }

    private static Schema Branch(UnionSchema union, object? value)
    {
        foreach (var branch in union.Schemas)
        {
            if ((value is null) == (branch.Tag == Schema.Type.Null)) return branch;
        }
        return union.Schemas[0];
    }
}
