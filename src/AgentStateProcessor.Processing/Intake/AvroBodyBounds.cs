using Avro;

namespace AgentStateProcessor.Processing.Intake;

/// <summary>
/// Walks an Avro body against its writer schema before Apache.Avro reads it, and finds a length, block count or
/// nesting the body cannot hold. Apache.Avro sizes its buffers and arrays from those numbers before it reads what
/// they announce, so a corrupt or hostile record of a hundred bytes can make it allocate gigabytes per record.
/// </summary>
public static class AvroBodyBounds
{
    /// <summary>Deeper than any event schema nests; bounds the recursion of a union-recursive schema.</summary>
    private const int MaxDepth = 64;

    /// <summary>Null when every length and count fits in the body; otherwise why not.</summary>
    public static string? FindOverrun(Schema writerSchema, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(writerSchema);
        var reader = new Reader(body);
        return reader.Walk(writerSchema, 0);
    }

    private ref struct Reader(ReadOnlySpan<byte> body)
    {
        private readonly ReadOnlySpan<byte> _body = body;
        private int _at;

        private readonly long Remaining => _body.Length - _at;

        public string? Walk(Schema schema, int depth)
        {
            if (depth > MaxDepth) return $"the value nests deeper than {MaxDepth} levels";
            switch (schema)
            {
                case LogicalSchema logical:
                    return Walk(logical.BaseSchema, depth);
                case RecordSchema record:
                    foreach (var field in record.Fields)
                    {
                        if (Walk(field.Schema, depth + 1) is { } overrun) return $"field '{field.Name}': {overrun}";
                    }
                    return null;
                case UnionSchema union:
                    if (!ReadLong(out var branch)) return "the body ends inside a union index";
                    return branch < 0 || branch >= union.Count
                        ? $"union index {branch} is not one of its {union.Count} branches"
                        : Walk(union[(int)branch], depth + 1);
                case FixedSchema fixedSchema:
                    return Skip(fixedSchema.Size, "fixed");
                case ArraySchema array:
                    return Blocks(array.ItemSchema, isMap: false, depth);
                case MapSchema map:
                    return Blocks(map.ValueSchema, isMap: true, depth);
                default:
                    return Primitive(schema.Tag);
            }
        }

        private string? Primitive(Schema.Type tag)
        {
            switch (tag)
            {
                case Schema.Type.Null:
                    return null;
                case Schema.Type.Boolean:
                    return Skip(1, "boolean");
                case Schema.Type.Float:
                    return Skip(4, "float");
                case Schema.Type.Double:
                    return Skip(8, "double");
                case Schema.Type.Int or Schema.Type.Long or Schema.Type.Enumeration:
                    return ReadLong(out _) ? null : "the body ends inside a number";
                case Schema.Type.String or Schema.Type.Bytes:
                    if (!ReadLong(out var length)) return "the body ends inside a length";
                    return Skip(length, tag == Schema.Type.String ? "string" : "bytes");
                default:
                    return $"schema type {tag} cannot be read";
            }
        }

        /// <summary>
        /// Each block's count may not exceed the bytes left, nor may all blocks together exceed the body, because
        /// Apache.Avro sizes its array from the count. Only items of no bytes (null, an empty record) could be more
        /// than the bytes that hold them, and no event schema has an array or map of those.
        /// </summary>
        private string? Blocks(Schema itemSchema, bool isMap, int depth)
        {
            var what = isMap ? "map" : "array";
            long items = 0;
            while (true)
            {
                if (!ReadLong(out var count)) return $"the body ends inside a {what} block count";
                if (count == 0) return null;
                if (count < 0)
                {
                    count = count == long.MinValue ? long.MaxValue : -count;
                    if (!ReadLong(out var blockBytes)) return $"the body ends inside a {what} block size";
                    if (blockBytes < 0 || blockBytes > Remaining) return $"{what} block of {blockBytes} bytes, but only {Remaining} remain";
                }
                items += Math.Min(count, int.MaxValue);
                if (count > Remaining || items > _body.Length) return $"{what} block of {count} items, but only {Remaining} bytes remain";
                for (long i = 0; i < count; i++)
                {
                    if (isMap && Primitive(Schema.Type.String) is { } keyOverrun) return $"{what} key: {keyOverrun}";
                    if (Walk(itemSchema, depth + 1) is { } overrun) return $"{what} item: {overrun}";
                }
            }
        }

        private string? Skip(long length, string what)
        {
            if (length < 0) return $"{what} of negative length {length}";
            if (length > Remaining) return $"{what} of {length} bytes, but only {Remaining} remain";
            _at += (int)length;
            return null;
        }

        /// <summary>A zigzag varint as Avro writes int and long; false when the body ends first or it runs past 10 bytes.</summary>
        private bool ReadLong(out long value)
        {
            ulong raw = 0;
            for (var shift = 0; shift < 70; shift += 7)
            {
                if (_at >= _body.Length) break;
                var b = _body[_at++];
                raw |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    value = (long)(raw >> 1) ^ -(long)(raw & 1);
                    return true;
                }
            }
            value = 0;
            return false;
        }
    }
}
