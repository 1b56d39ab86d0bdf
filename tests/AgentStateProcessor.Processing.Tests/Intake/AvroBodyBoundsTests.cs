using Avro;
using AgentStateProcessor.Processing.Intake;

namespace AgentStateProcessor.Processing.Tests.Intake;

/// <summary>The lengths and counts of an Avro body are checked against the bytes that follow them.</summary>
public sealed class AvroBodyBoundsTests
{
    private static Schema RecordOf(string fieldType) =>
        Schema.Parse($$"""{"type":"record","name":"R","fields":[{"name":"f","type":{{fieldType}}}]}""");

    /// <summary>The zigzag varint of 2^30.</summary>
    private static readonly byte[] BillionAndMore = [0x80, 0x80, 0x80, 0x80, 0x08];

    [Fact]
    public void A_valid_login_body_has_no_overrun()
    {
        var framed = IntakeAvroTests.FramedLogin();

        Assert.Null(AvroBodyBounds.FindOverrun(IntakeAvroTests.LoginSchema, framed.AsSpan(5)));
    }

    [Theory]
    [InlineData("\"string\"", "string of 1073741824 bytes, but only 1 remain")]
    [InlineData("\"bytes\"", "bytes of 1073741824 bytes, but only 1 remain")]
    [InlineData("{\"type\":\"map\",\"values\":\"string\"}", "map block of 1073741824 items, but only 1 bytes remain")]
    [InlineData("{\"type\":\"array\",\"items\":\"long\"}", "array block of 1073741824 items, but only 1 bytes remain")]
    [InlineData("{\"type\":\"array\",\"items\":\"null\"}", "array block of 1073741824 items, but only 1 bytes remain")]
    public void A_length_or_count_beyond_the_body_is_an_overrun(string fieldType, string expected)
    {
        var overrun = AvroBodyBounds.FindOverrun(RecordOf(fieldType), [.. BillionAndMore, 0x41]);

        Assert.Equal($"field 'f': {expected}", overrun);
    }

    [Theory]
    [InlineData("\"string\"", new byte[] { 0x03 }, "string of negative length -2")]
    [InlineData("\"long\"", new byte[] { 0x80, 0x80 }, "the body ends inside a number")]
    [InlineData("[\"null\",\"long\"]", new byte[] { 0x04 }, "union index 2 is not one of its 2 branches")]
    [InlineData("{\"type\":\"array\",\"items\":\"long\"}", new byte[] { 0x03, 0x7E, 0x02 }, "array block of 63 bytes, but only 1 remain")]
    [InlineData("{\"type\":\"fixed\",\"name\":\"F\",\"size\":4}", new byte[] { 1, 2, 3 }, "fixed of 4 bytes, but only 3 remain")]
    public void Negative_lengths_cut_numbers_and_missing_branches_are_overruns(string fieldType, byte[] body, string expected)
    {
        Assert.Equal($"field 'f': {expected}", AvroBodyBounds.FindOverrun(RecordOf(fieldType), body));
    }

    [Fact]
    public void Arrays_in_several_blocks_are_walked_to_their_end()
    {
        // Two blocks of longs 1, 2 and 3, the second with its byte size, then the end; then a string "A".
        var schema = Schema.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"array","items":"long"}},{"name":"s","type":"string"}]}""");

        Assert.Null(AvroBodyBounds.FindOverrun(schema, [0x02, 0x02, 0x03, 0x04, 0x04, 0x06, 0x00, 0x02, 0x41]));
        Assert.Equal("field 's': string of 1 bytes, but only 0 remain", AvroBodyBounds.FindOverrun(schema, [0x02, 0x02, 0x03, 0x04, 0x04, 0x06, 0x00, 0x02]));
    }

    [Fact]
    public void A_union_recursive_value_deeper_than_any_event_is_an_overrun()
    {
        var schema = Schema.Parse("""{"type":"record","name":"Node","fields":[{"name":"next","type":["null","Node"]}]}""");
        var deep = Enumerable.Repeat((byte)0x02, 10_000).Append((byte)0x00).ToArray();

        Assert.Contains("nests deeper than", AvroBodyBounds.FindOverrun(schema, deep));
        Assert.Null(AvroBodyBounds.FindOverrun(schema, [0x02, 0x02, 0x00]));
    }
}
