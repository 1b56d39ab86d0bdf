using System.Buffers.Binary;

namespace AgentStateProcessor.Avro.Tests;

public sealed class FramingTests
{
    private static readonly AvroSchema Schema = AvroSchema.Parse("""
        {"type": "record", "name": "Snapshot", "namespace": "s", "fields": [{"name": "id", "type": "string"}, {"name": "count", "type": "long"}]}
        """);

    private static GenericRecord Value() => new((RecordSchema)Schema) { ["id"] = "tenant:agent", ["count"] = 42L };

    [Fact]
    public void Single_object_encoding_is_marker_then_little_endian_fingerprint_then_body()
    {
        var message = SingleObjectEncoding.Encode(Schema, Value());

        Assert.Equal(new byte[] { 0xC3, 0x01 }, message[..2]);
        Assert.Equal(Schema.Fingerprint64, BinaryPrimitives.ReadUInt64LittleEndian(message.AsSpan(2, 8)));
        Assert.Equal(AvroBinary.Encode(Schema, Value()), message[10..]);
        Assert.True(SingleObjectEncoding.TryReadFingerprint(message, out var fingerprint));
        Assert.Equal(Schema.Fingerprint64, fingerprint);
        Assert.Equal(Value(), SingleObjectEncoding.Decode(Schema, message));
    }

    [Fact]
    public void Single_object_decode_rejects_wrong_marker_fingerprint_and_truncation()
    {
        var message = SingleObjectEncoding.Encode(Schema, Value());

        var wrongMarker = (byte[])message.Clone();
        wrongMarker[1] = 0x02;
        Assert.Contains("C3 01", Assert.Throws<AvroException>(() => SingleObjectEncoding.Decode(Schema, wrongMarker)).Message);
        Assert.False(SingleObjectEncoding.TryReadFingerprint(wrongMarker, out _));

        var otherSchema = AvroSchema.Parse("""{"type": "record", "name": "Snapshot", "namespace": "s", "fields": [{"name": "id", "type": "string"}]}""");
        Assert.Contains("fingerprint", Assert.Throws<AvroException>(() => SingleObjectEncoding.Decode(otherSchema, message)).Message);

        var flippedFingerprint = (byte[])message.Clone();
        flippedFingerprint[9] ^= 0x80;
        Assert.Throws<AvroException>(() => SingleObjectEncoding.Decode(Schema, flippedFingerprint));

        Assert.Contains("shorter", Assert.Throws<AvroException>(() => SingleObjectEncoding.Decode(Schema, message.AsSpan(0, 9))).Message);
        Assert.False(SingleObjectEncoding.TryReadFingerprint(message.AsSpan(0, 9), out _));
        Assert.Throws<AvroException>(() => SingleObjectEncoding.Decode(Schema, message.AsSpan(0, message.Length - 1)));
        Assert.Throws<AvroException>(() => SingleObjectEncoding.Decode(Schema, [.. message, 0]));
    }

    [Fact]
    public void Confluent_frame_is_magic_zero_then_big_endian_schema_id_then_body()
    {
        var body = AvroBinary.Encode(Schema, Value());

        var message = ConfluentWireFormat.Frame(0x01020304, body);

        Assert.Equal(new byte[] { 0, 1, 2, 3, 4 }, message[..5]);
        Assert.Equal(body, message[5..]);
        Assert.True(ConfluentWireFormat.TryParse(message, out var schemaId, out var parsedBody));
        Assert.Equal(0x01020304, schemaId);
        Assert.Equal(Value(), AvroBinary.Decode(Schema, parsedBody));
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0, 0, 0, 1 })]
    [InlineData(new byte[] { 1, 0, 0, 0, 1, 2 })]
    [InlineData(new byte[] { (byte)'{', (byte)'"', (byte)'i', (byte)'d', (byte)'"', (byte)':' })]
    public void Confluent_parse_refuses_short_messages_and_other_magic_bytes(byte[] message)
    {
        Assert.False(ConfluentWireFormat.TryParse(message, out _, out _));
    }

    [Fact]
    public void Confluent_frame_holds_an_empty_body_and_any_id()
    {
        Assert.True(ConfluentWireFormat.TryParse(ConfluentWireFormat.Frame(-1, []), out var schemaId, out var body));
        Assert.Equal(-1, schemaId);
        Assert.Equal(0, body.Length);
    }
}
