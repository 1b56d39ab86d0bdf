namespace AgentStateProcessor.Avro.Tests;

/// <summary>Schemas that break the specification are refused with an <see cref="AvroSchemaException"/> that says why.</summary>
public sealed class SchemaParseErrorTests
{
    public static TheoryData<string, string, string> BadSchemas => new()
    {
        { "not JSON", "{\"type\": ", "not valid JSON" },
        { "a number", "42", "must be a JSON string, object or array" },
        { "JSON null", "null", "must be a JSON string, object or array" },
        { "unknown primitive", "\"strin\"", "Unknown type 'strin'" },
        { "unknown type in object", """{"type": "integer"}""", "Unknown type 'integer'" },
        { "no type", """{"name": "X"}""", "no \"type\"" },
        { "non-string type", """{"type": {"type": "int"}}""", "must be a string" },
        { "error outside protocol", """{"type": "error", "name": "E", "fields": []}""", "protocol" },
        { "record without name", """{"type": "record", "fields": []}""", "\"name\"" },
        { "record without fields", """{"type": "record", "name": "R"}""", "\"fields\"" },
        { "fields not an array", """{"type": "record", "name": "R", "fields": {}}""", "must be an array" },
        { "field not an object", """{"type": "record", "name": "R", "fields": ["int"]}""", "must be a JSON object" },
        { "field without name", """{"type": "record", "name": "R", "fields": [{"type": "int"}]}""", "\"name\"" },
        { "field without type", """{"type": "record", "name": "R", "fields": [{"name": "f"}]}""", "\"type\"" },
        { "field with invalid name", """{"type": "record", "name": "R", "fields": [{"name": "1abc", "type": "int"}]}""", "not a valid Avro name" },
        { "field name with dot", """{"type": "record", "name": "R", "fields": [{"name": "a.b", "type": "int"}]}""", "not a valid Avro name" },
        { "duplicate field", """{"type": "record", "name": "R", "fields": [{"name": "f", "type": "int"}, {"name": "f", "type": "long"}]}""", "two fields named 'f'" },
        { "invalid record name", """{"type": "record", "name": "a-b", "fields": []}""", "not a valid record name" },
        { "empty name", """{"type": "record", "name": "", "fields": []}""", "not a valid record name" },
        { "invalid namespace", """{"type": "record", "name": "R", "namespace": "a..b", "fields": []}""", "not a valid namespace" },
        { "invalid dotted name", """{"type": "fixed", "name": "a.1b", "size": 1}""", "not a valid fixed name" },
        { "redefined primitive", """{"type": "record", "name": "int", "fields": []}""", "primitive type names cannot be redefined" },
        { "duplicate named type", """{"type": "record", "name": "R", "fields": [{"name": "a", "type": {"type": "fixed", "name": "F", "size": 1}}, {"name": "b", "type": {"type": "enum", "name": "F", "symbols": ["X"]}}]}""", "defined twice" },
        { "undefined reference", """{"type": "record", "name": "R", "fields": [{"name": "f", "type": "Missing"}]}""", "Unknown type 'Missing'" },
        { "reference before definition", """{"type": "record", "name": "R", "fields": [{"name": "a", "type": "E"}, {"name": "b", "type": {"type": "enum", "name": "E", "symbols": ["X"]}}]}""", "Unknown type 'E'" },
        { "enum without symbols", """{"type": "enum", "name": "E"}""", "\"symbols\"" },
        { "enum symbols not array", """{"type": "enum", "name": "E", "symbols": "A"}""", "must be an array" },
        { "enum duplicate symbol", """{"type": "enum", "name": "E", "symbols": ["A", "A"]}""", "twice" },
        { "enum invalid symbol", """{"type": "enum", "name": "E", "symbols": ["A B"]}""", "not a valid Avro name" },
        { "enum non-string symbol", """{"type": "enum", "name": "E", "symbols": [1]}""", "not a valid Avro name" },
        { "enum default not a symbol", """{"type": "enum", "name": "E", "symbols": ["A"], "default": "B"}""", "not one of its symbols" },
        { "fixed without size", """{"type": "fixed", "name": "F"}""", "\"size\"" },
        { "fixed negative size", """{"type": "fixed", "name": "F", "size": -1}""", "non-negative integer" },
        { "fixed fractional size", """{"type": "fixed", "name": "F", "size": 1.5}""", "non-negative integer" },
        { "array without items", """{"type": "array"}""", "\"items\"" },
        { "map without values", """{"type": "map"}""", "\"values\"" },
        { "nested union", """["null", ["int", "string"]]""", "may not immediately contain another union" },
        { "duplicate primitive in union", """["string", "null", "string"]""", "same type" },
        { "primitive twice despite logical type", """["long", {"type": "long", "logicalType": "timestamp-millis"}]""", "same type" },
        { "two arrays in union", """[{"type": "array", "items": "int"}, {"type": "array", "items": "string"}]""", "same type" },
        { "two maps in union", """[{"type": "map", "values": "int"}, {"type": "map", "values": "string"}]""", "same type" },
        { "bad order", """{"type": "record", "name": "R", "fields": [{"name": "f", "type": "int", "order": "up"}]}""", "\"order\"" },
        { "non-string doc", """{"type": "record", "name": "R", "doc": 5, "fields": []}""", "\"doc\" must be a string" },
        { "aliases not strings", """{"type": "record", "name": "R", "aliases": [1], "fields": []}""", "array of strings" },
        { "invalid alias", """{"type": "record", "name": "R", "aliases": ["a-b"], "fields": []}""", "alias 'a-b'" },
        { "int default not int", """{"type": "record", "name": "R", "fields": [{"name": "f", "type": "int", "default": "x"}]}""", "expected int" },
        { "int default out of range", """{"type": "record", "name": "R", "fields": [{"name": "f", "type": "int", "default": 2147483648}]}""", "expected int" },
        { "int default fractional", """{"type": "record", "name": "R", "fields": [{"name": "f", "type": "int", "default": 1.5}]}""", "expected int" },
        { "string default null", """{"type": "record", "name": "R", "fields": [{"name": "f", "type": "string", "default": null}]}""", "expected string" },
        { "union default not first branch", """{"type": "record", "name": "R", "fields": [{"name": "f", "type": ["null", "string"], "default": "a"}]}""", "expected null" },
        { "enum default unknown symbol", """{"type": "record", "name": "R", "fields": [{"name": "f", "type": {"type": "enum", "name": "E", "symbols": ["A"]}, "default": "B"}]}""", "not a symbol" },
        { "fixed default wrong length", """{"type": "record", "name": "R", "fields": [{"name": "f", "type": {"type": "fixed", "name": "F", "size": 2}, "default": "a"}]}""", "needs 2 bytes" },
        { "bytes default beyond latin-1", """{"type": "record", "name": "R", "fields": [{"name": "f", "type": "bytes", "default": "\u0100"}]}""", "cannot be a byte" },
        { "record default missing field", """{"type": "record", "name": "R", "fields": [{"name": "f", "type": {"type": "record", "name": "S", "fields": [{"name": "x", "type": "int"}]}, "default": {}}]}""", "lacks field 'x'" },
        { "array default wrong item", """{"type": "record", "name": "R", "fields": [{"name": "f", "type": {"type": "array", "items": "int"}, "default": [1, "2"]}]}""", "expected int" },
        { "self-defaulting record", """{"type": "record", "name": "R", "fields": [{"name": "me", "type": "R", "default": {}}]}""", "deeper" },
    };

    [Theory]
    [MemberData(nameof(BadSchemas))]
    public void Bad_schema_is_refused_with_a_clear_message(string description, string json, string messageFragment)
    {
        var exception = Assert.Throws<AvroSchemaException>(() => AvroSchema.Parse(json));

        Assert.True(exception.Message.Contains(messageFragment, StringComparison.Ordinal),
            $"{description}: expected the message to mention '{messageFragment}', got: {exception.Message}");
    }

    [Fact]
    public void Errors_inside_fields_name_the_field()
    {
        var exception = Assert.Throws<AvroSchemaException>(() => AvroSchema.Parse("""
            {"type": "record", "name": "EventAgentLogin", "namespace": "voice", "fields": [
              {"name": "ThisDN", "type": "strnig"}]}
            """));

        Assert.StartsWith("In field voice.EventAgentLogin.ThisDN: Unknown type 'strnig'", exception.Message);
    }
}
