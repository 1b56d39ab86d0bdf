using System.Text;

namespace AgentStateProcessor.Avro.Tests;

/// <summary>What a parsed schema says about itself: names, references, fields, defaults, logical types, its JSON.</summary>
public sealed class SchemaParsingTests
{
    [Fact]
    public void Namespaces_are_inherited_replaced_by_dotted_names_and_reset_by_the_empty_namespace()
    {
        var root = (RecordSchema)AvroSchema.Parse("""
            {"type": "record", "name": "Outer", "namespace": "com.example", "fields": [
              {"name": "inherits", "type": {"type": "enum", "name": "Inherited", "symbols": ["A"]}},
              {"name": "dotted", "type": {"type": "fixed", "name": "org.other.Dotted", "namespace": "ignored.space", "size": 1}},
              {"name": "reset", "type": {"type": "record", "name": "Global", "namespace": "", "fields": [
                {"name": "child", "type": {"type": "enum", "name": "AlsoGlobal", "symbols": ["B"]}}]}}]}
            """);

        Assert.Equal("com.example.Outer", root.FullName);
        Assert.Equal("com.example.Inherited", ((NamedSchema)root.Fields[0].Schema).FullName);
        var dotted = (NamedSchema)root.Fields[1].Schema;
        Assert.Equal(("org.other", "Dotted", "org.other.Dotted"), (dotted.Namespace, dotted.Name, dotted.FullName));
        var global = (RecordSchema)root.Fields[2].Schema;
        Assert.Null(global.Namespace);
        Assert.Equal("Global", global.FullName);
        Assert.Equal("AlsoGlobal", ((NamedSchema)global.Fields[0].Schema).FullName);
        Assert.Contains("{\"name\":\"Global\",\"type\":\"record\"", root.ToCanonicalForm());
        Assert.Equal(root.ToCanonicalForm(), AvroSchema.Parse(root.ToString()).ToCanonicalForm());
    }

    [Fact]
    public void Simple_names_resolve_in_the_enclosing_namespace_first_then_in_the_null_namespace()
    {
        var root = (RecordSchema)AvroSchema.Parse("""
            {"type": "record", "name": "Holder", "fields": [
              {"name": "global", "type": {"type": "enum", "name": "Color", "symbols": ["RED"]}},
              {"name": "nested", "type": {"type": "record", "name": "Inner", "namespace": "ns", "fields": [
                {"name": "local", "type": {"type": "enum", "name": "Color", "symbols": ["BLUE"]}},
                {"name": "resolvesLocal", "type": "Color"},
                {"name": "resolvesGlobal", "type": "Holder"}]}}]}
            """);

        var inner = (RecordSchema)root.Fields[1].Schema;
        Assert.Same(inner.Fields[0].Schema, inner.Fields[1].Schema);
        Assert.Equal("ns.Color", ((NamedSchema)inner.Fields[1].Schema).FullName);
        Assert.Same(root, inner.Fields[2].Schema);
    }

    [Fact]
    public void Recursive_types_refer_to_the_same_schema_object()
    {
        var list = (RecordSchema)AvroSchema.Parse("""
            {"type": "record", "name": "LongList", "fields": [{"name": "value", "type": "long"}, {"name": "next", "type": ["null", "LongList"]}]}
            """);

        Assert.Same(list, ((UnionSchema)list.GetField("next")!.Schema).Branches[1]);
        Assert.Equal(
            """{"name":"LongList","type":"record","fields":[{"name":"value","type":"long"},{"name":"next","type":["null","LongList"]}]}""",
            list.ToCanonicalForm());
    }

    [Fact]
    public void Canonical_form_keeps_only_parsing_attributes_in_the_specified_order()
    {
        var schema = AvroSchema.Parse("""
            {"doc": "d", "fields": [{"type": {"values": {"size": 2, "type": "fixed", "name": "F", "aliases": ["G"]}, "type": "map"},
              "name": "m", "default": {}, "order": "ignore"}],
             "x-custom": true, "aliases": ["Alias"], "name": "R", "namespace": "n", "type": "record"}
            """);

        Assert.Equal(
            """{"name":"n.R","type":"record","fields":[{"name":"m","type":{"type":"map","values":{"name":"n.F","type":"fixed","size":2}}}]}""",
            schema.ToCanonicalForm());
    }

    [Fact]
    public void Fingerprint_is_the_crc64_of_the_utf8_canonical_form_and_is_stable()
    {
        var schema = AvroSchema.Parse("""{"type": "enum", "name": "E", "symbols": ["A", "B"]}""");

        Assert.Equal(Crc64Avro.Compute(Encoding.UTF8.GetBytes(schema.ToCanonicalForm())), schema.Fingerprint64);
        Assert.Equal(schema.Fingerprint64, AvroSchema.Parse(schema.ToString()).Fingerprint64);
        Assert.NotEqual(schema.Fingerprint64, AvroSchema.Parse("""{"type": "enum", "name": "E", "symbols": ["B", "A"]}""").Fingerprint64);
    }

    [Fact]
    public void Named_types_expose_doc_and_aliases_resolved_against_their_namespace()
    {
        var schema = (EnumSchema)AvroSchema.Parse("""
            {"type": "enum", "name": "Suit", "namespace": "cards", "doc": "Card suits", "aliases": ["Kind", "old.Suit"],
             "symbols": ["SPADES", "HEARTS"], "default": "HEARTS"}
            """);

        Assert.Equal("Card suits", schema.Doc);
        Assert.Equal(["cards.Kind", "old.Suit"], schema.Aliases);
        Assert.Equal("HEARTS", schema.Default);
        Assert.Equal(1, schema.IndexOf("HEARTS"));
        Assert.Equal(-1, schema.IndexOf("CLUBS"));
    }

    [Fact]
    public void Fields_expose_position_doc_and_defaults_as_generic_values()
    {
        var record = (RecordSchema)AvroSchema.Parse("""
            {"type": "record", "name": "D", "fields": [
              {"name": "plain", "type": "string", "doc": "no default"},
              {"name": "optional", "type": ["null", "string"], "default": null},
              {"name": "l", "type": "long", "default": 9007199254740993},
              {"name": "f", "type": "float", "default": 1.5},
              {"name": "by", "type": "bytes", "default": "\u00ffA"},
              {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "B"]}, "default": "B"},
              {"name": "fx", "type": {"type": "fixed", "name": "F", "size": 2}, "default": "\u0001\u0002"},
              {"name": "a", "type": {"type": "array", "items": "int"}, "default": [1, 2]},
              {"name": "m", "type": {"type": "map", "values": "string"}, "default": {"k": "v"}},
              {"name": "r", "type": {"type": "record", "name": "R", "fields": [{"name": "x", "type": "int", "default": 4}, {"name": "y", "type": "string"}]}, "default": {"y": "why"}},
              {"name": "u", "type": ["int", "null"], "default": 3}]}
            """);

        var plain = record.GetField("plain")!;
        Assert.Equal((0, "no default", false), (plain.Position, plain.Doc, plain.HasDefault));
        Assert.True(record.GetField("optional")!.HasDefault);
        Assert.Null(record.GetField("optional")!.DefaultValue);
        Assert.Equal(9007199254740993L, record.GetField("l")!.DefaultValue);
        Assert.Equal(1.5f, record.GetField("f")!.DefaultValue);
        Assert.Equal(new byte[] { 0xff, 0x41 }, record.GetField("by")!.DefaultValue);
        Assert.Equal("B", ((GenericEnum)record.GetField("e")!.DefaultValue!).Symbol);
        Assert.Equal(new byte[] { 1, 2 }, ((GenericFixed)record.GetField("fx")!.DefaultValue!).Bytes);
        Assert.Equal(new List<object?> { 1, 2 }, record.GetField("a")!.DefaultValue);
        Assert.Equal(new Dictionary<string, object?> { ["k"] = "v" }, record.GetField("m")!.DefaultValue);
        var nested = (GenericRecord)record.GetField("r")!.DefaultValue!;
        Assert.Equal((4, "why"), ((int)nested["x"]!, (string)nested["y"]!));
        Assert.Equal(3, record.GetField("u")!.DefaultValue);
        Assert.Null(record.GetField("missing"));
    }

    [Fact]
    public void Mutable_defaults_are_fresh_copies()
    {
        var field = ((RecordSchema)AvroSchema.Parse("""
            {"type": "record", "name": "D", "fields": [{"name": "a", "type": {"type": "array", "items": "int"}, "default": [1]}]}
            """)).Fields[0];

        ((List<object?>)field.DefaultValue!).Add(2);

        Assert.Equal(new List<object?> { 1 }, field.DefaultValue);
    }

    [Theory]
    [InlineData("""{"type": "long", "logicalType": "timestamp-millis"}""", AvroType.Long, "timestamp-millis")]
    [InlineData("""{"type": "long", "logicalType": "timestamp-micros"}""", AvroType.Long, "timestamp-micros")]
    [InlineData("""{"type": "int", "logicalType": "date"}""", AvroType.Int, "date")]
    [InlineData("""{"type": "string", "logicalType": "uuid"}""", AvroType.String, "uuid")]
    [InlineData("""{"type": "bytes", "logicalType": "decimal", "precision": 4, "scale": 2}""", AvroType.Bytes, "decimal")]
    [InlineData("""{"type": "fixed", "name": "D", "size": 12, "logicalType": "duration"}""", AvroType.Fixed, "duration")]
    [InlineData("""{"type": "string", "logicalType": "timestamp-millis"}""", AvroType.String, null)]
    [InlineData("""{"type": "bytes", "logicalType": "decimal", "precision": 4, "scale": 5}""", AvroType.Bytes, null)]
    [InlineData("""{"type": "fixed", "name": "D", "size": 2, "logicalType": "decimal", "precision": 5}""", AvroType.Fixed, null)]
    [InlineData("""{"type": "long", "logicalType": "x-unknown"}""", AvroType.Long, null)]
    public void Logical_types_are_kept_only_where_the_specification_allows_them(string json, AvroType type, string? logicalType)
    {
        var schema = AvroSchema.Parse(json);

        Assert.Equal(type, schema.Type);
        Assert.Equal(logicalType, schema.LogicalType);
        Assert.Contains("logicalType", schema.ToString()); // ignored ones are still part of the schema's JSON
        Assert.DoesNotContain("logicalType", schema.ToCanonicalForm());
    }

    [Fact]
    public void ToString_keeps_docs_defaults_order_aliases_and_custom_attributes()
    {
        var json = """
            {"type": "record", "name": "R", "namespace": "n", "doc": "record doc", "x-owner": {"team": "voice"},
             "fields": [{"name": "f", "type": {"type": "long", "logicalType": "timestamp-micros", "x-unit": "us"},
               "doc": "field doc", "default": 5, "order": "descending", "aliases": ["g"], "x-note": [1, "two"]}]}
            """;

        var reparsed = (RecordSchema)AvroSchema.Parse(AvroSchema.Parse(json).ToString());
        var text = reparsed.ToString();

        Assert.Equal("record doc", reparsed.Doc);
        Assert.Equal("field doc", reparsed.Fields[0].Doc);
        Assert.Equal(5L, reparsed.Fields[0].DefaultValue);
        Assert.Equal(["g"], reparsed.Fields[0].Aliases);
        Assert.Equal("timestamp-micros", reparsed.Fields[0].Schema.LogicalType);
        Assert.Contains("\"x-owner\":{\"team\":\"voice\"}", text);
        Assert.Contains("\"x-note\":[1,\"two\"]", text);
        Assert.Contains("\"x-unit\":\"us\"", text);
        Assert.Contains("\"order\":\"descending\"", text);
    }

    [Fact]
    public void Plain_primitives_print_as_their_name_and_collections_expose_their_parts()
    {
        Assert.Equal("\"int\"", AvroSchema.Parse("""{"type": "int"}""").ToString());
        var array = (ArraySchema)AvroSchema.Parse("""{"type": "array", "items": {"type": "map", "values": "bytes"}}""");
        Assert.Equal(AvroType.Bytes, ((MapSchema)array.Items).Values.Type);
        var union = (UnionSchema)AvroSchema.Parse("""["null", "string"]""");
        Assert.Equal([AvroType.Null, AvroType.String], union.Branches.Select(b => b.Type));
        Assert.IsType<PrimitiveSchema>(union.Branches[1]);
    }
}
