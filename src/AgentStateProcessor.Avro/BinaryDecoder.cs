using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace AgentStateProcessor.Avro;

/// <summary>
/// Reads the Avro binary encoding into generic values. Every length and count is checked against the bytes that
/// remain before anything is allocated, so hostile input fails with <see cref="AvroException"/>, never with an
/// out-of-range or out-of-memory error.
/// </summary>
internal ref struct BinaryDecoder
{
    /// <summary>Items that encode to no bytes (nulls, empty records) cannot be bounded by the input size; this bounds them.</summary>
    internal const long MaxZeroWidthItems = 1 << 20;

    private static readonly object True = true;
    private static readonly object False = false;

    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public BinaryDecoder(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly int Remaining => _data.Length - _position;

    public readonly int Position => _position;

    public object? ReadValue(AvroSchema schema, int depth)
    {
        switch (schema.Type)
        {
            case AvroType.Null:
                return null;
            case AvroType.Boolean:
                return ReadByte() switch
                {
                    0 => False,
                    1 => True,
                    var other => throw new AvroException($"Invalid boolean byte {other:X2} at offset {_position - 1}: must be 00 or 01."),
                };
            case AvroType.Int:
                return ReadInt();
            case AvroType.Long:
                return ReadLong();
            case AvroType.Float:
                return BinaryPrimitives.ReadSingleLittleEndian(ReadSpan(sizeof(float)));
            case AvroType.Double:
                return BinaryPrimitives.ReadDoubleLittleEndian(ReadSpan(sizeof(double)));
            case AvroType.Bytes:
                return ReadSpan(ReadLength()).ToArray();
            case AvroType.String:
                return ReadString();
            case AvroType.Record:
                return ReadRecord((RecordSchema)schema, depth);
            case AvroType.Enum:
                var enumSchema = (EnumSchema)schema;
                var symbolIndex = ReadLong();
                return (ulong)symbolIndex < (ulong)enumSchema.Symbols.Count
                    ? enumSchema.ValueAt((int)symbolIndex)
                    : throw new AvroException($"Enum index {symbolIndex} is out of range for enum {enumSchema.FullName} of {enumSchema.Symbols.Count} symbols.");
            case AvroType.Array:
                return ReadArray((ArraySchema)schema, depth);
            case AvroType.Map:
                return ReadMap((MapSchema)schema, depth);
            case AvroType.Union:
                var branches = ((UnionSchema)schema).BranchArray;
                var branchIndex = ReadLong();
                if ((ulong)branchIndex >= (ulong)branches.Length)
                {
                    throw new AvroException($"Union index {branchIndex} is out of range for a union of {branches.Length} branches.");
                }
                CheckDepth(depth);
                return ReadValue(branches[branchIndex], depth + 1);
            case AvroType.Fixed:
                var fixedSchema = (FixedSchema)schema;
                return new GenericFixed(fixedSchema, ReadSpan(fixedSchema.Size).ToArray());
            default:
                throw new InvalidOperationException("Unhandled Avro type " + schema.Type);
        }
    }

    private GenericRecord ReadRecord(RecordSchema schema, int depth)
    {
        CheckDepth(depth);
        var fields = schema.FieldArray;
        var values = new object?[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            values[i] = ReadValue(fields[i].Schema, depth + 1);
        }
        return new GenericRecord(schema, values);
    }

    private List<object?> ReadArray(ArraySchema schema, int depth)
    {
        CheckDepth(depth);
        var items = schema.Items;
        var list = new List<object?>();
        long total = 0;
        for (var count = ReadBlockCount(items.MinEncodedSize, ref total); count > 0; count = ReadBlockCount(items.MinEncodedSize, ref total))
        {
            list.EnsureCapacity((int)total);
            for (long i = 0; i < count; i++)
            {
                list.Add(ReadValue(items, depth + 1));
            }
        }
        return list;
    }

    private Dictionary<string, object?> ReadMap(MapSchema schema, int depth)
    {
        CheckDepth(depth);
        var values = schema.Values;
        var entryMinSize = 1 + values.MinEncodedSize;
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        long total = 0;
        for (var count = ReadBlockCount(entryMinSize, ref total); count > 0; count = ReadBlockCount(entryMinSize, ref total))
        {
            for (long i = 0; i < count; i++)
            {
                var key = ReadString();
                // A repeated key keeps the last value, as the Java and Python implementations do.
                map[key] = ReadValue(values, depth + 1);
            }
        }
        return map;
    }

    /// <summary>
    /// The item count of the next array or map block (0 at the end). A negative count is followed by the block's
    /// size in bytes, which lets readers skip blocks; this reader reads every item, so it only checks the size.
    /// </summary>
    private long ReadBlockCount(int itemMinSize, ref long total)
    {
        var count = ReadLong();
        if (count < 0)
        {
            if (count == long.MinValue)
            {
                throw new AvroException("Invalid block count: -2^63.");
            }
            count = -count;
            var blockSize = ReadLong();
            if (blockSize < 0 || blockSize > Remaining)
            {
                throw new AvroException($"Invalid block size {blockSize}: {Remaining} bytes remain.");
            }
        }
        if (count == 0)
        {
            return 0;
        }
        var fits = itemMinSize > 0
            ? count <= Remaining / itemMinSize
            : count <= MaxZeroWidthItems - total;
        if (!fits)
        {
            throw new AvroException(itemMinSize > 0
                ? $"Block of {count} items cannot fit in the {Remaining} bytes that remain: the data is truncated or corrupt."
                : $"Block of {count} empty items exceeds the limit of {MaxZeroWidthItems} per array or map.");
        }
        total += count;
        return count;
    }

    private string ReadString()
    {
        var bytes = ReadSpan(ReadLength());
        if (!Utf8.IsValid(bytes))
        {
            throw new AvroException($"String of {bytes.Length} bytes ending at offset {_position} is not valid UTF-8.");
        }
        return Encoding.UTF8.GetString(bytes);
    }

    public int ReadInt()
    {
        var value = ReadLong();
        return value is >= int.MinValue and <= int.MaxValue
            ? (int)value
            : throw new AvroException($"Value {value} at offset {_position} does not fit an Avro int.");
    }

    public long ReadLong()
    {
        ulong zigZag = 0;
        for (var shift = 0; ; shift += 7)
        {
            var next = ReadByte();
            if (shift == 63 && next > 1)
            {
                throw new AvroException($"Variable-length integer ending at offset {_position} overflows 64 bits.");
            }
            zigZag |= (ulong)(next & 0x7f) << shift;
            if ((next & 0x80) == 0)
            {
                return (long)(zigZag >> 1) ^ -(long)(zigZag & 1);
            }
        }
    }

    private int ReadLength()
    {
        var length = ReadLong();
        if (length < 0)
        {
            throw new AvroException($"Negative length {length} at offset {_position}.");
        }
        if (length > Remaining)
        {
            throw Truncated(length);
        }
        return (int)length;
    }

    private byte ReadByte()
    {
        if (_position >= _data.Length)
        {
            throw Truncated(1);
        }
        return _data[_position++];
    }

    private ReadOnlySpan<byte> ReadSpan(int length)
    {
        if (length > Remaining)
        {
            throw Truncated(length);
        }
        var span = _data.Slice(_position, length);
        _position += length;
        return span;
    }

    private readonly AvroException Truncated(long needed) =>
        new($"Truncated data: {needed} more bytes needed at offset {_position}, {Remaining} remain.");

    private static void CheckDepth(int depth)
    {
        if (depth >= BinaryEncoder.MaxDepth)
        {
            throw new AvroException($"Data nests deeper than {BinaryEncoder.MaxDepth} levels.");
        }
    }
}
