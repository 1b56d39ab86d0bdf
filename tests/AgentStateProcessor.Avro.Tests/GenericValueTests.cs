namespace AgentStateProcessor.Avro.Tests;

public sealed class GenericValueTests
{
    private const string SchemaJson = """
        {"type": "record", "name": "R", "fields": [
          {"name": "b", "type": "bytes"},
          {"name": "a", "type": {"type": "array", "items": "double"}},
          {"name": "m", "type": {"type": "map", "values": "int"}},
          {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["X", "Y"]}},
          {"name": "f", "type": {"type": "fixed", "name": "F", "size": 1}}]}
        """;

    private static GenericRecord Make(RecordSchema schema, byte b, double a, string firstKey, string symbol) => new(schema)
    {
        ["b"] = new[] { b },
        ["a"] = new List<object?> { a },
        ["m"] = firstKey == "p"
            ? new Dictionary<string, object?> { ["p"] = 1, ["q"] = 2 }
            : new Dictionary<string, object?> { ["q"] = 2, ["p"] = 1 },
        ["e"] = new GenericEnum((EnumSchema)schema.GetField("e")!.Schema, symbol),
        ["f"] = new GenericFixed((FixedSchema)schema.GetField("f")!.Schema, [b]),
    };

    [Fact]
    public void Records_are_equal_by_deep_value_regardless_of_map_order_or_schema_instance()
    {
        var schema = (RecordSchema)AvroSchema.Parse(SchemaJson);
        var sameSchemaParsedAgain = (RecordSchema)AvroSchema.Parse(SchemaJson);

        var left = Make(schema, 1, 0.5, "p", "X");
        var right = Make(sameSchemaParsedAgain, 1, 0.5, "q", "X");

        Assert.Equal(left, right);
        Assert.Equal(left.GetHashCode(), right.GetHashCode());
        Assert.NotEqual(left, Make(schema, 2, 0.5, "p", "X"));
        Assert.NotEqual(left, Make(schema, 1, -0.5, "p", "X"));
        Assert.NotEqual(left, Make(schema, 1, 0.5, "p", "Y"));
        Assert.NotEqual(Make(schema, 1, 0.0, "p", "X"), Make(schema, 1, -0.0, "p", "X"));
        Assert.Equal(Make(schema, 1, double.NaN, "p", "X"), Make(schema, 1, double.NaN, "p", "X"));
    }

    [Fact]
    public void Record_fields_are_reached_by_name_or_position_and_unknown_ones_throw()
    {
        var schema = (RecordSchema)AvroSchema.Parse(SchemaJson);
        var record = new GenericRecord(schema) { ["m"] = null };
        record[1] = new List<object?>();

        Assert.Same(record["a"], record[1]);
        Assert.Null(record["b"]);
        Assert.True(record.TryGetValue("a", out var found));
        Assert.Same(record[1], found);
        Assert.False(record.TryGetValue("zz", out _));
        Assert.Contains("no field 'zz'", Assert.Throws<AvroException>(() => record["zz"]).Message);
        Assert.Throws<AvroException>(() => record["zz"] = 1);
        Assert.Throws<AvroException>(() => record[5]);
    }

    [Fact]
    public void Enum_and_fixed_values_are_checked_against_their_schema()
    {
        var schema = (RecordSchema)AvroSchema.Parse(SchemaJson);
        var enumSchema = (EnumSchema)schema.GetField("e")!.Schema;

        Assert.Equal(1, new GenericEnum(enumSchema, "Y").Index);
        var (deconstructedSchema, symbol) = new GenericEnum(enumSchema, "Y");
        Assert.Equal((enumSchema, "Y"), (deconstructedSchema, symbol));
        Assert.Contains("'Z' is not a symbol", Assert.Throws<AvroException>(() => new GenericEnum(enumSchema, "Z")).Message);
        Assert.Throws<AvroException>(() => new GenericFixed((FixedSchema)schema.GetField("f")!.Schema, [1, 2]));
    }

    [Fact]
    public void Round_trip_of_a_full_record_gives_an_equal_record()
    {
        var schema = (RecordSchema)AvroSchema.Parse(SchemaJson);
        var record = Make(schema, 9, 1e300, "q", "Y");

        Assert.Equal(record, AvroBinary.Decode(schema, AvroBinary.Encode(schema, record)));
    }
}
