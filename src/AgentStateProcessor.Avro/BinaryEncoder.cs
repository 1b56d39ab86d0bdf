using System.Buffers;
using System.Buffers.Binary;
using System.Collections;
using System.Text;

namespace AgentStateProcessor.Avro;

/// <summary>Writes generic values in the Avro binary encoding, checking each value against its schema as it goes.</summary>
internal static class BinaryEncoder
{
    internal const int MaxDepth = 512;
    private const int MaxVarLongLength = 10;

    internal static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static void Write(AvroSchema schema, object? value, IBufferWriter<byte> output, int depth)
    {
        switch (schema.Type)
        {
            case AvroType.Null:
                if (value is not null)
                {
                    throw AvroValueException.Mismatch(schema, value);
                }
                return;
            case AvroType.Boolean:
                WriteByte(output, value is bool flag ? (byte)(flag ? 1 : 0) : throw AvroValueException.Mismatch(schema, value));
                return;
            case AvroType.Int:
                WriteLong(output, value is int intValue ? intValue : throw AvroValueException.Mismatch(schema, value));
                return;
            case AvroType.Long:
                WriteLong(output, value switch
                {
                    long longValue => longValue,
                    int narrower => narrower,
                    _ => throw AvroValueException.Mismatch(schema, value),
                });
                return;
            case AvroType.Float:
                WriteFloat(output, value is float floatValue ? floatValue : throw AvroValueException.Mismatch(schema, value));
                return;
            case AvroType.Double:
                WriteDouble(output, value switch
                {
                    double doubleValue => doubleValue,
                    float narrower => narrower,
                    _ => throw AvroValueException.Mismatch(schema, value),
                });
                return;
            case AvroType.Bytes:
                WriteBytes(output, value as byte[] ?? throw AvroValueException.Mismatch(schema, value));
                return;
            case AvroType.String:
                WriteString(output, value as string ?? throw AvroValueException.Mismatch(schema, value));
                return;
            case AvroType.Record:
                WriteRecord((RecordSchema)schema, value, output, depth);
                return;
            case AvroType.Enum:
                WriteLong(output, EnumIndex((EnumSchema)schema, value));
                return;
            case AvroType.Array:
                WriteArray((ArraySchema)schema, value, output, depth);
                return;
            case AvroType.Map:
                WriteMap((MapSchema)schema, value, output, depth);
                return;
            case AvroType.Union:
                var union = (UnionSchema)schema;
                var branch = union.SelectBranch(value);
                if (branch < 0)
                {
                    throw AvroValueException.Mismatch(schema, value);
                }
                WriteLong(output, branch);
                Write(union.BranchArray[branch], value, output, depth + 1);
                return;
            case AvroType.Fixed:
                output.Write(FixedBytes((FixedSchema)schema, value));
                return;
            default:
                throw new InvalidOperationException("Unhandled Avro type " + schema.Type);
        }
    }

    internal static int EnumIndex(EnumSchema schema, object? value)
    {
        if (value is not GenericEnum symbol || !UnionSchema.SameName(schema, symbol.Schema))
        {
            throw AvroValueException.Mismatch(schema, value);
        }
        // A value built from another copy of the same enum may not share its symbol order.
        var index = ReferenceEquals(symbol.Schema, schema) ? symbol.Index : schema.IndexOf(symbol.Symbol);
        return index >= 0
            ? index
            : throw new AvroValueException($"'{symbol.Symbol}' is not a symbol of enum {schema.FullName}");
    }

    internal static byte[] FixedBytes(FixedSchema schema, object? value) => value switch
    {
        GenericFixed fixedValue when UnionSchema.SameName(schema, fixedValue.Schema) && fixedValue.Bytes.Length == schema.Size => fixedValue.Bytes,
        byte[] bytes when bytes.Length == schema.Size => bytes,
        _ => throw AvroValueException.Mismatch(schema, value),
    };

    private static void WriteRecord(RecordSchema schema, object? value, IBufferWriter<byte> output, int depth)
    {
        if (value is not GenericRecord record || !UnionSchema.SameName(schema, record.Schema))
        {
            throw AvroValueException.Mismatch(schema, value);
        }
        if (depth >= MaxDepth)
        {
            throw AvroValueException.TooDeep(MaxDepth);
        }
        var fields = schema.FieldArray;
        if (record.Schema.FieldArray.Length != fields.Length)
        {
            throw new AvroValueException($"record {schema.FullName} has {fields.Length} fields, the value has {record.Schema.FieldArray.Length}");
        }
        var position = 0;
        try
        {
            for (; position < fields.Length; position++)
            {
                Write(fields[position].Schema, record.GetValueAt(position), output, depth + 1);
            }
        }
        catch (AvroValueException ex)
        {
            throw ex.Within(AvroValueException.FieldSegment(fields[position].Name));
        }
    }

    private static void WriteArray(ArraySchema schema, object? value, IBufferWriter<byte> output, int depth)
    {
        if (value is not IList list || value is byte[] or string)
        {
            throw AvroValueException.Mismatch(schema, value);
        }
        if (depth >= MaxDepth)
        {
            throw AvroValueException.TooDeep(MaxDepth);
        }
        var count = list.Count;
        if (count > 0)
        {
            WriteLong(output, count);
            var index = 0;
            try
            {
                if (list is IList<object?> items)
                {
                    for (; index < count; index++)
                    {
                        Write(schema.Items, items[index], output, depth + 1);
                    }
                }
                else
                {
                    for (; index < count; index++)
                    {
                        Write(schema.Items, list[index], output, depth + 1);
                    }
                }
            }
            catch (AvroValueException ex)
            {
                throw ex.Within(AvroValueException.IndexSegment(index));
            }
        }
        WriteLong(output, 0);
    }

    private static void WriteMap(MapSchema schema, object? value, IBufferWriter<byte> output, int depth)
    {
        if (value is not IDictionary<string, object?> map)
        {
            throw AvroValueException.Mismatch(schema, value);
        }
        if (depth >= MaxDepth)
        {
            throw AvroValueException.TooDeep(MaxDepth);
        }
        if (map.Count > 0)
        {
            WriteLong(output, map.Count);
            if (map is Dictionary<string, object?> dictionary)
            {
                // The concrete type's struct enumerator avoids an allocation per map.
                foreach (var entry in dictionary)
                {
                    WriteMapEntry(schema.Values, entry.Key, entry.Value, output, depth);
                }
            }
            else
            {
                foreach (var entry in map)
                {
                    WriteMapEntry(schema.Values, entry.Key, entry.Value, output, depth);
                }
            }
        }
        WriteLong(output, 0);
    }

    private static void WriteMapEntry(AvroSchema valueSchema, string key, object? value, IBufferWriter<byte> output, int depth)
    {
        try
        {
            WriteString(output, key);
            Write(valueSchema, value, output, depth + 1);
        }
        catch (AvroValueException ex)
        {
            throw ex.Within(AvroValueException.KeySegment(key));
        }
    }

    private static void WriteByte(IBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    public static void WriteLong(IBufferWriter<byte> output, long value)
    {
        var span = output.GetSpan(MaxVarLongLength);
        var zigZag = (ulong)((value << 1) ^ (value >> 63));
        var length = 0;
        while (zigZag >= 0x80)
        {
            span[length++] = (byte)(zigZag | 0x80);
            zigZag >>= 7;
        }
        span[length++] = (byte)zigZag;
        output.Advance(length);
    }

    private static void WriteFloat(IBufferWriter<byte> output, float value)
    {
        BinaryPrimitives.WriteSingleLittleEndian(output.GetSpan(sizeof(float)), value);
        output.Advance(sizeof(float));
    }

    private static void WriteDouble(IBufferWriter<byte> output, double value)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(output.GetSpan(sizeof(double)), value);
        output.Advance(sizeof(double));
    }

    private static void WriteBytes(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        WriteLong(output, bytes.Length);
        output.Write(bytes);
    }

    private static void WriteString(IBufferWriter<byte> output, string value)
    {
        int byteCount;
        try
        {
            byteCount = StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException)
        {
            throw new AvroValueException("the string holds an unpaired UTF-16 surrogate, so it has no UTF-8 encoding");
        }
        WriteLong(output, byteCount);
        if (byteCount > 0)
        {
            var written = StrictUtf8.GetBytes(value, output.GetSpan(byteCount));
            output.Advance(written);
        }
    }
}
