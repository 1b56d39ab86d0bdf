using System.Buffers;
using System.Buffers.Binary;

namespace AgentStateProcessor.Avro;

/// <summary>Avro single-object encoding: <c>C3 01</c>, the schema's 8-byte little-endian CRC-64-AVRO fingerprint, the binary body.</summary>
public static class SingleObjectEncoding
{
    public const int HeaderLength = 10;
    private const byte Marker0 = 0xC3;
    private const byte Marker1 = 0x01;

    public static byte[] Encode(AvroSchema schema, object? value)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var buffer = new ArrayBufferWriter<byte>(256);
        var header = buffer.GetSpan(HeaderLength);
        header[0] = Marker0;
        header[1] = Marker1;
        BinaryPrimitives.WriteUInt64LittleEndian(header[2..], schema.Fingerprint64);
        buffer.Advance(HeaderLength);
        AvroBinary.Encode(schema, value, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads the writer schema's fingerprint from a single-object message; false when the header is missing.</summary>
    public static bool TryReadFingerprint(ReadOnlySpan<byte> message, out ulong fingerprint)
    {
        if (message.Length < HeaderLength || message[0] != Marker0 || message[1] != Marker1)
        {
            fingerprint = 0;
            return false;
        }
        fingerprint = BinaryPrimitives.ReadUInt64LittleEndian(message[2..]);
        return true;
    }

    public static object? Decode(AvroSchema schema, ReadOnlySpan<byte> message)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (!TryReadFingerprint(message, out var fingerprint))
        {
            throw new AvroException(message.Length < HeaderLength
                ? $"Not an Avro single-object message: {message.Length} bytes is shorter than the {HeaderLength}-byte header."
                : $"Not an Avro single-object message: it starts {message[0]:X2} {message[1]:X2}, not C3 01.");
        }
        if (fingerprint != schema.Fingerprint64)
        {
            throw new AvroException(
                $"The message was written with the schema of fingerprint {fingerprint:x16}, not {schema.Fingerprint64:x16} " +
                $"({(schema is NamedSchema named ? named.FullName : schema.Type.ToSchemaName())}).");
        }
        return AvroBinary.Decode(schema, message[HeaderLength..]);
    }
}
