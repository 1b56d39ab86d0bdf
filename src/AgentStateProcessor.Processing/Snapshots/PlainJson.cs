using System.Text.Json;
using AgentStateProcessor.Avro;

namespace AgentStateProcessor.Processing.Snapshots;

/// <summary>
/// Writes a generic Avro value as the JSON a person expects: unions unwrapped, enums as their
/// symbol, timestamps as ISO-8601 text. For operators' output; consumers read the Avro bytes.
/// </summary>
public static class PlainJson
{
    // Timestamps outside the calendar DateTimeOffset can express are written as their plain number.
    private const long MinMicros = -62_135_596_800_000_000;
    private const long MaxMicros = 253_402_300_799_999_999;

    public static void Write(Utf8JsonWriter writer, AvroSchema schema, object? value)
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
                    Write(writer, field.Schema, fields[field.Position]);
                }
                writer.WriteEndObject();
                return;
            case ArraySchema array:
                writer.WriteStartArray();
                foreach (var item in (IList<object?>)value!) Write(writer, array.Items, item);
                writer.WriteEndArray();
                return;
            case MapSchema map:
                writer.WriteStartObject();
                foreach (var (key, item) in (IDictionary<string, object?>)value!)
                {
                    writer.WritePropertyName(key);
                    Write(writer, map.Values, item);
                }
                writer.WriteEndObject();
                return;
        }

        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case long micros when schema.LogicalType == "timestamp-micros" && micros is >= MinMicros and <= MaxMicros:
                writer.WriteStringValue(DateTimeOffset.UnixEpoch.AddTicks(micros * 10).ToString("O"));
                break;
            case long millis when schema.LogicalType == "timestamp-millis" && millis is >= MinMicros / 1000 and <= MaxMicros / 1000:
                writer.WriteStringValue(DateTimeOffset.FromUnixTimeMilliseconds(millis).ToString("O"));
                break;
            case GenericEnum symbol: writer.WriteStringValue(symbol.Symbol); break;
            case string text: writer.WriteStringValue(text); break;
            case bool flag: writer.WriteBooleanValue(flag); break;
            case int number: writer.WriteNumberValue(number); break;
            case long number: writer.WriteNumberValue(number); break;
            case float number: writer.WriteNumberValue(number); break;
            case double number: writer.WriteNumberValue(number); break;
            case byte[] bytes: writer.WriteBase64StringValue(bytes); break;
            case GenericFixed fixedValue: writer.WriteBase64StringValue(fixedValue.Bytes); break;
            default: writer.WriteStringValue(value.ToString()); break;
        }
    }

    private static AvroSchema Branch(UnionSchema union, object? value)
    {
        foreach (var branch in union.Branches)
        {
            if ((value is null) == (branch.Type == AvroType.Null)) return branch;
        }
        return union.Branches[0];
    }
}
