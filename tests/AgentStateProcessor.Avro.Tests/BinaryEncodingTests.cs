using System.Buffers;

namespace AgentStateProcessor.Avro.Tests;

/// <summary>The binary encoding's rules, on the specification's own examples and on hand-made byte sequences.</summary>
public sealed class BinaryEncodingTests
{
    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    private static byte[] Bytes(string hex) => Convert.FromHexString(hex);

    [Theory]
    [InlineData(0L, "00")]
    [InlineData(-1L, "01")]
    [InlineData(1L, "02")]
    [InlineData(-2L, "03")]
    [InlineData(2L, "04")]
    [InlineData(-64L, "7f")]
    [InlineData(64L, "8001")]
    [InlineData(long.MaxValue, "feffffffffffffffff01")]
    [InlineData(long.MinValue, "ffffffffffffffffff01")]
    public void Longs_are_zig_zag_varints(long value, string expectedHex)
    {
        var schema = AvroSchema.Parse("\"long\"");

        Assert.Equal(expectedHex, Hex(AvroBinary.Encode(schema, value)));
        Assert.Equal(value, AvroBinary.Decode(schema, Bytes(expectedHex)));
    }

    [Fact]
    public void Specification_examples_encode_as_documented()
    {
        Assert.Equal("06666f6f", Hex(AvroBinary.Encode(AvroSchema.Parse("\"string\""), "foo")));
        var nullableString = AvroSchema.Parse("""["null", "string"]""");
        Assert.Equal("00", Hex(AvroBinary.Encode(nullableString, null)));
        Assert.Equal("020261", Hex(AvroBinary.Encode(nullableString, "a")));
        var longs = AvroSchema.Parse("""{"type": "array", "items": "long"}""");
        Assert.Equal("04063600", Hex(AvroBinary.Encode(longs, new List<object?> { 3L, 27L })));
    }

    [Fact]
    public void Floats_and_doubles_are_little_endian_ieee754_and_keep_special_values()
    {
        var floatSchema = AvroSchema.Parse("\"float\"");
        var doubleSchema = AvroSchema.Parse("\"double\"");

        Assert.Equal("0000803f", Hex(AvroBinary.Encode(floatSchema, 1.0f)));
        Assert.Equal("000000000000f03f", Hex(AvroBinary.Encode(doubleSchema, 1.0)));
        foreach (var special in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0 })
        {
            var decoded = (double)AvroBinary.Decode(doubleSchema, AvroBinary.Encode(doubleSchema, special))!;
            Assert.Equal(BitConverter.DoubleToInt64Bits(special), BitConverter.DoubleToInt64Bits(decoded));
        }
        var negativeZero = (float)AvroBinary.Decode(floatSchema, AvroBinary.Encode(floatSchema, -0.0f))!;
        Assert.True(float.IsNegative(negativeZero));
    }

    [Fact]
    public void Decoder_accepts_negative_block_counts_followed_by_block_sizes()
    {
        var longs = AvroSchema.Parse("""{"type": "array", "items": "long"}""");
        // Block of -2 items (zig-zag 03) spanning 2 bytes (04), then a block of 1 item, then the end.
        var decoded = AvroBinary.Decode(longs, Bytes("030406360208" + "00"));
        Assert.Equal(new List<object?> { 3L, 27L, 4L }, (List<object?>)decoded!);

        var map = AvroSchema.Parse("""{"type": "map", "values": "int"}""");
        var decodedMap = (Dictionary<string, object?>)AvroBinary.Decode(map, Bytes("01060261020202620400"))!;
        Assert.Equal(new Dictionary<string, object?> { ["a"] = 1, ["b"] = 2 }, decodedMap);
    }

    [Fact]
    public void Map_entries_are_written_in_the_dictionarys_enumeration_order()
    {
        var map = AvroSchema.Parse("""{"type": "map", "values": "int"}""");
        var insertionOrder = new Dictionary<string, object?> { ["b"] = 2, ["a"] = 1 };
        var sorted = new SortedDictionary<string, object?>(insertionOrder, StringComparer.Ordinal);

        Assert.Equal("04026204026102" + "00", Hex(AvroBinary.Encode(map, insertionOrder)));
        Assert.Equal("04026102026204" + "00", Hex(AvroBinary.Encode(map, sorted)));
    }

    [Fact]
    public void Encoding_into_a_buffer_writer_gives_the_same_bytes()
    {
        var schema = AvroSchema.Parse("""{"type": "record", "name": "R", "fields": [{"name": "s", "type": "string"}, {"name": "l", "type": "long"}]}""");
        var record = new GenericRecord((RecordSchema)schema) { ["s"] = new string('x', 5000), ["l"] = 12345L };
        var writer = new ArrayBufferWriter<byte>(1);

        AvroBinary.Encode(schema, record, writer);

        Assert.Equal(AvroBinary.Encode(schema, record), writer.WrittenSpan.ToArray());
        Assert.Equal(record, AvroBinary.Decode(schema, writer.WrittenSpan));
    }

    public static TheoryData<string, object?, int> UnionSelections => new()
    {
        { """["null", "long", "int"]""", 5, 2 },
        { """["null", "long"]""", 5, 1 },
        { """["int", "long"]""", 5L, 1 },
        { """["double", "float"]""", 1.5f, 1 },
        { """["null", "double"]""", 1.5f, 1 },
        { """["string", "bytes"]""", new byte[] { 1 }, 1 },
        { """[{"type": "fixed", "name": "F4", "size": 4}, "bytes"]""", new byte[] { 1, 2, 3, 4 }, 0 },
        { """[{"type": "fixed", "name": "F4", "size": 4}, "bytes"]""", new byte[] { 1, 2, 3 }, 1 },
        { """["null", {"type": "map", "values": "int"}, {"type": "array", "items": "int"}]""", new List<object?>(), 2 },
        { """["null", {"type": "array", "items": "int"}, {"type": "map", "values": "int"}]""", new Dictionary<string, object?>(), 2 },
        { """["boolean", "string"]""", "true", 1 },
        { """["null", "string"]""", null, 0 },
    };

    [Theory]
    [MemberData(nameof(UnionSelections))]
    public void Union_branch_is_the_first_matching_the_runtime_type(string unionJson, object? value, int expectedBranch)
    {
        var union = AvroSchema.Parse(unionJson);

        var encoded = AvroBinary.Encode(union, value);

        Assert.Equal(expectedBranch * 2, encoded[0]); // the branch index, zig-zag encoded
    }

    [Fact]
    public void Union_of_records_and_enums_selects_by_full_name()
    {
        var union = (UnionSchema)AvroSchema.Parse("""
            [{"type": "record", "name": "a.Login", "fields": []},
             {"type": "record", "name": "b.Login", "fields": []},
             {"type": "enum", "name": "Signal", "symbols": ["PING"]}]
            """);

        Assert.Equal(1, AvroBinary.Encode(union, new GenericRecord((RecordSchema)union.Branches[1]))[0] / 2);
        Assert.Equal(0, AvroBinary.Encode(union, new GenericRecord((RecordSchema)union.Branches[0]))[0] / 2);
        Assert.Equal(2, AvroBinary.Encode(union, new GenericEnum((EnumSchema)union.Branches[2], "PING"))[0] / 2);
    }

    [Fact]
    public void Int_values_widen_to_long_and_float_values_to_double()
    {
        Assert.Equal(AvroBinary.Encode(AvroSchema.Parse("\"long\""), 300L), AvroBinary.Encode(AvroSchema.Parse("\"long\""), 300));
        Assert.Equal(AvroBinary.Encode(AvroSchema.Parse("\"double\""), 0.5), AvroBinary.Encode(AvroSchema.Parse("\"double\""), 0.5f));
        Assert.Throws<AvroException>(() => AvroBinary.Encode(AvroSchema.Parse("\"int\""), 5L));
        Assert.Throws<AvroException>(() => AvroBinary.Encode(AvroSchema.Parse("\"float\""), 0.5));
    }

    private const string LoginSchema = """
        {"type": "record", "name": "EventAgentLogin", "namespace": "voice", "fields": [
          {"name": "ThisDN", "type": "string"},
          {"name": "AgentID", "type": ["null", "string"], "default": null},
          {"name": "Queues", "type": {"type": "array", "items": "string"}},
          {"name": "Extensions", "type": {"type": "map", "values": {"type": "record", "name": "Ext", "fields": [{"name": "v", "type": "long"}]}}}]}
        """;

    private static GenericRecord ValidLogin(RecordSchema schema)
    {
        var extension = new GenericRecord((RecordSchema)((MapSchema)schema.GetField("Extensions")!.Schema).Values) { ["v"] = 1L };
        return new GenericRecord(schema)
        {
            ["ThisDN"] = "5001",
            ["AgentID"] = null,
            ["Queues"] = new List<object?> { "q1" },
            ["Extensions"] = new Dictionary<string, object?> { ["ReasonCode"] = extension },
        };
    }

    [Fact]
    public void Encode_errors_name_the_field_path()
    {
        var schema = (RecordSchema)AvroSchema.Parse(LoginSchema);

        var wrongType = ValidLogin(schema);
        wrongType["ThisDN"] = 5001;
        Assert.Equal("EventAgentLogin.ThisDN: expected string, got Int32",
            Assert.Throws<AvroException>(() => AvroBinary.Encode(schema, wrongType)).Message);

        var wrongUnion = ValidLogin(schema);
        wrongUnion["AgentID"] = 7;
        Assert.Equal("EventAgentLogin.AgentID: expected one of [null, string], got Int32",
            Assert.Throws<AvroException>(() => AvroBinary.Encode(schema, wrongUnion)).Message);

        var wrongItem = ValidLogin(schema);
        wrongItem["Queues"] = new List<object?> { "q1", null };
        Assert.Equal("EventAgentLogin.Queues[1]: expected string, got null",
            Assert.Throws<AvroException>(() => AvroBinary.Encode(schema, wrongItem)).Message);

        var wrongNested = ValidLogin(schema);
        ((GenericRecord)((Dictionary<string, object?>)wrongNested["Extensions"]!)["ReasonCode"]!)["v"] = "x";
        Assert.Equal("EventAgentLogin.Extensions[\"ReasonCode\"].v: expected long, got String",
            Assert.Throws<AvroException>(() => AvroBinary.Encode(schema, wrongNested)).Message);

        Assert.Equal("EventAgentLogin: expected record voice.EventAgentLogin, got String",
            Assert.Throws<AvroException>(() => AvroBinary.Encode(schema, "not a record")).Message);
    }

    [Fact]
    public void Strings_with_unpaired_surrogates_are_rejected()
    {
        var exception = Assert.Throws<AvroException>(() => AvroBinary.Encode(AvroSchema.Parse("\"string\""), "bad \ud800 text"));
        Assert.Contains("surrogate", exception.Message);
    }

    [Fact]
    public void A_record_that_contains_itself_fails_instead_of_overflowing_the_stack()
    {
        var schema = (RecordSchema)AvroSchema.Parse("""{"type": "record", "name": "Node", "fields": [{"name": "next", "type": ["null", "Node"]}]}""");
        var node = new GenericRecord(schema);
        node["next"] = node;

        Assert.Contains("deeper", Assert.Throws<AvroException>(() => AvroBinary.Encode(schema, node)).Message);
    }

    public static TheoryData<string, string, string> MalformedData => new()
    {
        { "\"long\"", "0200", "trailing" },
        { "\"long\"", "80", "Truncated" },
        { "\"long\"", "ffffffffffffffffff7f", "overflows" },
        { "\"int\"", "8080808010", "does not fit" },
        { "\"string\"", "0661", "Truncated" },
        { "\"string\"", "03", "Negative length" },
        { "\"string\"", "04c328", "UTF-8" },
        { "\"bytes\"", "feffffffffffffffff01", "Truncated" },
        { "\"boolean\"", "02", "boolean" },
        { "\"double\"", "000000", "Truncated" },
        { """["null", "string"]""", "04", "Union index 2" },
        { """["null", "string"]""", "01", "Union index -1" },
        { """{"type": "enum", "name": "E", "symbols": ["A", "B"]}""", "04", "Enum index 2" },
        { """{"type": "array", "items": "long"}""", "feffffffffffffffff01", "cannot fit" },
        { """{"type": "array", "items": "null"}""", "feffffffffffffffff01", "limit" },
        { """{"type": "array", "items": "long"}""", "ffffffffffffffffff01", "-2^63" },
        { """{"type": "array", "items": "long"}""", "037f", "block size" },
        { """{"type": "fixed", "name": "F", "size": 4}""", "010203", "Truncated" },
        { "\"null\"", "00", "trailing" },
    };

    [Theory]
    [MemberData(nameof(MalformedData))]
    public void Malformed_data_fails_with_AvroException(string schemaJson, string hex, string messageFragment)
    {
        var schema = AvroSchema.Parse(schemaJson);

        var exception = Assert.Throws<AvroException>(() => AvroBinary.Decode(schema, Bytes(hex)));

        Assert.Contains(messageFragment, exception.Message);
    }

    [Fact]
    public void Decoding_reuses_enum_values_and_builds_the_documented_types()
    {
        var schema = AvroSchema.Parse("""
            {"type": "record", "name": "R", "fields": [
              {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "B"]}},
              {"name": "a", "type": {"type": "array", "items": "int"}},
              {"name": "m", "type": {"type": "map", "values": "bytes"}},
              {"name": "f", "type": {"type": "fixed", "name": "F", "size": 1}}]}
            """);

        var first = (GenericRecord)AvroBinary.Decode(schema, Bytes("02" + "0202" + "00" + "020278040a0b" + "00" + "ff"))!;
        var second = (GenericRecord)AvroBinary.Decode(schema, Bytes("02" + "00" + "00" + "ff"))!;

        Assert.Same(first["e"], second["e"]);
        Assert.Equal(1, ((GenericEnum)first["e"]!).Index);
        Assert.Equal(new List<object?> { 1 }, Assert.IsType<List<object?>>(first["a"]));
        Assert.Equal(new byte[] { 0x0a, 0x0b }, (byte[])Assert.IsType<Dictionary<string, object?>>(first["m"])["x"]!);
        Assert.Equal(new byte[] { 0xff }, Assert.IsType<GenericFixed>(first["f"]).Bytes);
    }
}
