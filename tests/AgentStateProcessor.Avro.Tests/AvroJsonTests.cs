namespace AgentStateProcessor.Avro.Tests;

/// <summary>
/// The JSON encoding's shape. (Every random datum of the python cross-check also goes to python as this JSON, so
/// the encoding is checked there against python's reading of the same value.)
/// </summary>
public sealed class AvroJsonTests
{
    [Fact]
    public void Unions_are_wrapped_in_their_branch_name_except_null()
    {
        var schema = (RecordSchema)AvroSchema.Parse("""
            {"type": "record", "name": "R", "namespace": "n", "fields": [
              {"name": "s", "type": ["null", "string"]},
              {"name": "none", "type": ["null", "string"]},
              {"name": "e", "type": ["null", {"type": "enum", "name": "E", "symbols": ["A"]}]},
              {"name": "a", "type": ["null", {"type": "array", "items": "long"}]},
              {"name": "b", "type": "bytes"},
              {"name": "f", "type": {"type": "fixed", "name": "F", "size": 2}},
              {"name": "d", "type": "double"},
              {"name": "m", "type": {"type": "map", "values": "boolean"}}]}
            """);
        var enumSchema = (EnumSchema)((UnionSchema)schema.GetField("e")!.Schema).Branches[1];
        var fixedSchema = (FixedSchema)schema.GetField("f")!.Schema;
        var record = new GenericRecord(schema)
        {
            ["s"] = "héllo \"quoted\"",
            ["none"] = null,
            ["e"] = new GenericEnum(enumSchema, "A"),
            ["a"] = new List<object?> { 1L, -2L },
            ["b"] = new byte[] { 0x00, 0x41, 0xff },
            ["f"] = new GenericFixed(fixedSchema, [0x7f, 0x80]),
            ["d"] = double.NaN,
            ["m"] = new Dictionary<string, object?> { ["x"] = true },
        };

        Assert.Equal(
            """{"s":{"string":"héllo \"quoted\""},"none":null,"e":{"n.E":"A"},"a":{"array":[1,-2]},"b":"\u0000Aÿ","f":"\u007F\u0080","d":"NaN","m":{"x":true}}""",
            AvroJson.ToJson(schema, record));
        Assert.Equal(AvroJson.ToJson(schema, record), record.ToString());
    }

    [Fact]
    public void Invalid_values_are_reported_with_their_path()
    {
        var schema = (RecordSchema)AvroSchema.Parse("""{"type": "record", "name": "R", "fields": [{"name": "xs", "type": {"type": "array", "items": "int"}}]}""");
        var record = new GenericRecord(schema) { ["xs"] = new List<object?> { 1, "two" } };

        Assert.Equal("R.xs[1]: expected int, got String", Assert.Throws<AvroException>(() => AvroJson.ToJson(schema, record)).Message);
        Assert.StartsWith("R (not valid for its schema", record.ToString());
    }
}
