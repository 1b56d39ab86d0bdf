namespace AgentStateProcessor.Avro.Tests.Support;

/// <summary>
/// Seeded random generic values for any schema: edge values of every numeric type, strings across the Unicode
/// planes, collections of varied sizes, every union branch. Recursion is cut off by preferring, past a depth, the
/// union branch and collection size that end it.
/// </summary>
public sealed class RandomValues(int seed)
{
    private const int RecursionCutoff = 4;

    private static readonly int[] EdgeInts = [0, 1, -1, 63, 64, -64, -65, 127, 128, 8191, 8192, int.MaxValue, int.MinValue];
    private static readonly long[] EdgeLongs = [0, 1, -1, 64, -65, int.MaxValue + 1L, int.MinValue - 1L, long.MaxValue, long.MinValue];
    private static readonly double[] EdgeDoubles = [0.0, -0.0, 1.0, -1.5, double.Epsilon, double.MaxValue, double.MinValue, 1e-300, 0.1];
    private static readonly float[] EdgeFloats = [0f, -0f, 1f, -1.5f, float.Epsilon, float.MaxValue, float.MinValue, 0.1f, 3.4e-38f];
    private static readonly string[] StringPieces = ["", "a", "Z", "0", " ", "é", "ß", "Ω", "中文", "😀", "𝄞", "\u0000", "\"", "\\", "\n", "tab\t", "agent_42", "ÿ"];

    // Epoch bounds (1900-01-01 to 2200-01-01) that python's datetime holds with room to spare.
    private const long MinMillis = -2_208_988_800_000;
    private const long MaxMillis = 7_258_118_400_000;

    private readonly Random _random = new(seed);

    public object? Next(AvroSchema schema) => Generate(schema, depth: 0);

    private object? Generate(AvroSchema schema, int depth)
    {
        switch (schema)
        {
            case PrimitiveSchema primitive:
                return GeneratePrimitive(primitive);
            case RecordSchema record:
                var value = new GenericRecord(record);
                foreach (var field in record.Fields)
                {
                    value[field.Position] = Generate(field.Schema, depth + 1);
                }
                return value;
            case EnumSchema enumSchema:
                return new GenericEnum(enumSchema, enumSchema.Symbols[_random.Next(enumSchema.Symbols.Count)]);
            case FixedSchema fixedSchema:
                return new GenericFixed(fixedSchema, RandomBytes(fixedSchema.Size));
            case ArraySchema array:
                var items = new List<object?>();
                for (var i = CollectionSize(depth); i > 0; i--)
                {
                    items.Add(Generate(array.Items, depth + 1));
                }
                return items;
            case MapSchema map:
                var entries = new Dictionary<string, object?>(StringComparer.Ordinal);
                for (var i = CollectionSize(depth); i > 0; i--)
                {
                    entries[RandomString() + i] = Generate(map.Values, depth + 1);
                }
                return entries;
            case UnionSchema union:
                return GenerateUnion(union, depth);
            default:
                throw new InvalidOperationException("Unhandled schema " + schema);
        }
    }

    private object? GenerateUnion(UnionSchema union, int depth)
    {
        if (depth >= RecursionCutoff)
        {
            for (var i = 0; i < union.Branches.Count; i++)
            {
                if (union.Branches[i] is PrimitiveSchema or EnumSchema or FixedSchema)
                {
                    return Generate(union.Branches[i], depth + 1);
                }
            }
        }
        // A value must select the branch it was made for (bytes of length n would select an earlier fixed of size n).
        for (var attempt = 0; ; attempt++)
        {
            var branch = _random.Next(union.Branches.Count);
            var value = Generate(union.Branches[branch], depth + 1);
            if (union.SelectBranch(value) == branch || attempt > 50)
            {
                return value;
            }
        }
    }

    private int CollectionSize(int depth) => depth >= RecursionCutoff ? 0 : _random.Next(4) switch
    {
        0 => 0,
        1 => 1,
        2 => _random.Next(2, 5),
        _ => _random.Next(5, 40),
    };

    private object? GeneratePrimitive(PrimitiveSchema schema) => schema.Type switch
    {
        AvroType.Null => null,
        AvroType.Boolean => _random.Next(2) == 1,
        AvroType.Int => _random.Next(3) == 0 ? EdgeInts[_random.Next(EdgeInts.Length)] : _random.Next(int.MinValue, int.MaxValue),
        AvroType.Long => schema.LogicalType switch
        {
            "timestamp-millis" => _random.NextInt64(MinMillis, MaxMillis),
            "timestamp-micros" => _random.NextInt64(MinMillis * 1000, MaxMillis * 1000),
            _ => _random.Next(3) == 0 ? EdgeLongs[_random.Next(EdgeLongs.Length)] : _random.NextInt64(long.MinValue, long.MaxValue) >> _random.Next(64),
        },
        AvroType.Float => _random.Next(3) == 0 ? EdgeFloats[_random.Next(EdgeFloats.Length)] : (float)((_random.NextDouble() - 0.5) * Math.Pow(10, _random.Next(-20, 20))),
        AvroType.Double => _random.Next(3) == 0 ? EdgeDoubles[_random.Next(EdgeDoubles.Length)] : (_random.NextDouble() - 0.5) * Math.Pow(10, _random.Next(-200, 200)),
        AvroType.Bytes => RandomBytes(_random.Next(4) == 0 ? 0 : _random.Next(1, 40)),
        AvroType.String => RandomString(),
        _ => throw new InvalidOperationException("Unhandled primitive " + schema.Type),
    };

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }

    private string RandomString()
    {
        var pieces = _random.Next(5);
        var text = "";
        for (var i = 0; i < pieces; i++)
        {
            text += StringPieces[_random.Next(StringPieces.Length)];
        }
        return text;
    }
}
