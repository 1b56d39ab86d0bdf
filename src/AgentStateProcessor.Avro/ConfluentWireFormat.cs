using System.Buffers.Binary;

namespace AgentStateProcessor.Avro;

/// <summary>The Confluent Schema Registry framing: magic byte 0, the 4-byte big-endian schema id, the Avro binary body.</summary>
public static class ConfluentWireFormat
{
    public const int HeaderLength = 5;
    private const byte MagicByte = 0;

    public static byte[] Frame(int schemaId, ReadOnlySpan<byte> body)
    {
        var message = new byte[HeaderLength + body.Length];
        message[0] = MagicByte;
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(1), schemaId);
        body.CopyTo(message.AsSpan(HeaderLength));
        return message;
    }

    public static bool TryParse(ReadOnlySpan<byte> message, out int schemaId, out ReadOnlySpan<byte> body)
    {
        if (message.Length < HeaderLength || message[0] != MagicByte)
        {
            schemaId = 0;
            body = default;
            return false;
        }
        schemaId = BinaryPrimitives.ReadInt32BigEndian(message[1..]);
        body = message[HeaderLength..];
        return true;
    }
}
