using System.Buffers;

namespace AgentStateProcessor.Avro;

/// <summary>The Avro binary encoding of generic values (see the README of this project for the value types).</summary>
public static class AvroBinary
{
    private const int MaxRetainedBufferSize = 1 << 20;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>Encodes <paramref name="value"/>, checking it against <paramref name="schema"/>.</summary>
    /// <exception cref="AvroException">The value does not fit the schema; the message names the field path.</exception>
    public static byte[] Encode(AvroSchema schema, object? value)
    {
        var buffer = t_buffer ?? new ArrayBufferWriter<byte>(1024);
        t_buffer = null; // a nested call on this thread (from a custom IList, say) must not share the buffer
        try
        {
            buffer.ResetWrittenCount();
            Encode(schema, value, buffer);
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            if (buffer.Capacity <= MaxRetainedBufferSize)
            {
                t_buffer = buffer;
            }
        }
    }

    /// <summary>Encodes into <paramref name="output"/>; when it throws, the output may hold part of the encoding.</summary>
    /// <exception cref="AvroException">The value does not fit the schema; the message names the field path.</exception>
    public static void Encode(AvroSchema schema, object? value, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(output);
        try
        {
            BinaryEncoder.Write(schema, value, output, depth: 0);
        }
        catch (AvroValueException ex)
        {
            throw ex.ToPublic(schema);
        }
    }

    /// <summary>Decodes exactly one value that fills <paramref name="data"/>.</summary>
    /// <exception cref="AvroException">Truncated or trailing data, or bytes the schema does not allow.</exception>
    public static object? Decode(AvroSchema schema, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var decoder = new BinaryDecoder(data);
        var value = decoder.ReadValue(schema, depth: 0);
        if (decoder.Remaining != 0)
        {
            throw new AvroException($"{decoder.Remaining} trailing bytes after the value, which ends at offset {decoder.Position}.");
        }
        return value;
    }
}
