using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Avro;
using Avro.Generic;
using Avro.IO;

namespace AgentStateProcessor.Processing.Snapshots;

/// <summary>
/// Snapshot value bytes, the body written by Apache.Avro: with a schema registry, the Confluent
/// wire format (magic 0, big-endian schema id, body); without one, Avro single-object encoding
/// (C3 01, the schema's CRC-64-AVRO fingerprint little-endian, body), which Apache.Avro for .NET
/// does not implement.
/// </summary>
public static class SnapshotCodec
{
    public const int SingleObjectHeaderLength = 10;
    public const int ConfluentHeaderLength = 5;

    private static readonly ConditionalWeakTable<RecordSchema, Format> Formats = new();

    public static byte[] Encode(GenericRecord snapshot, int? registrySchemaId)
    {
        var format = FormatOf(snapshot.Schema);
        using var stream = new MemoryStream();
        Span<byte> header = stackalloc byte[SingleObjectHeaderLength];
        if (registrySchemaId is { } id)
        {
            header[0] = 0;
            BinaryPrimitives.WriteInt32BigEndian(header[1..], id);
            stream.Write(header[..ConfluentHeaderLength]);
        }
        else
        {
            format.SingleObjectHeader.CopyTo(header);
            stream.Write(header);
        }
        format.Writer.Write(snapshot, new BinaryEncoder(stream));
        return stream.ToArray();
    }

    /// <summary>Reads a snapshot this processor wrote, in either framing.</summary>
    /// <exception cref="AvroException">The bytes are not a snapshot of <paramref name="schema"/>.</exception>
    public static GenericRecord Decode(RecordSchema schema, ReadOnlySpan<byte> value)
    {
        var format = FormatOf(schema);
        int headerLength;
        if (value.Length >= SingleObjectHeaderLength && value[0] == 0xC3 && value[1] == 0x01)
        {
            if (!value[..SingleObjectHeaderLength].SequenceEqual(format.SingleObjectHeader))
            {
                throw new AvroException(
                    $"snapshot's schema fingerprint {BinaryPrimitives.ReadUInt64LittleEndian(value[2..]):x16} is not {schema.Name}'s {format.Fingerprint:x16}");
            }
            headerLength = SingleObjectHeaderLength;
        }
        else if (value.Length >= ConfluentHeaderLength && value[0] == 0)
        {
            headerLength = ConfluentHeaderLength;
        }
        else
        {
            throw new AvroException($"snapshot of {value.Length} bytes starts with neither C3 01 (single-object encoding) nor 0 (Confluent wire format)");
        }

        using var stream = new MemoryStream(value[headerLength..].ToArray(), writable: false);
        GenericRecord record;
        try
        {
            record = format.Reader.Read(reuse: null!, new BinaryDecoder(stream));
        }
        catch (Exception e) when (e is not AvroException)
        {
            // Apache.Avro reports a short or damaged body as whatever its stream or conversion threw.
            throw new AvroException($"snapshot is not a {schema.Name} record: {e.Message}", e);
        }
        if (stream.Position != stream.Length)
        {
            throw new AvroException($"snapshot has {stream.Length - stream.Position} bytes after its {schema.Name} record");
        }
        return record;
    }

    /// <summary>CRC-64-AVRO of the schema's Parsing Canonical Form, as Apache.Avro computes it.</summary>
    public static ulong FingerprintOf(RecordSchema schema) => FormatOf(schema).Fingerprint;

    private static Format FormatOf(RecordSchema schema) => Formats.GetValue(schema, static s => new Format(s));

    /// <summary>What encoding and decoding one schema needs, worked out once: Apache.Avro's writer and reader are thread-safe.</summary>
    private sealed class Format
    {
        public Format(RecordSchema schema)
        {
            Writer = new GenericDatumWriter<GenericRecord>(schema);
            Reader = new GenericDatumReader<GenericRecord>(schema, schema);
            Fingerprint = (ulong)SchemaNormalization.ParsingFingerprint64(schema);
            SingleObjectHeader = new byte[SingleObjectHeaderLength];
            SingleObjectHeader[0] = 0xC3;
            SingleObjectHeader[1] = 0x01;
            BinaryPrimitives.WriteUInt64LittleEndian(SingleObjectHeader.AsSpan(2), Fingerprint);
        }

        public GenericDatumWriter<GenericRecord> Writer { get; }
        public GenericDatumReader<GenericRecord> Reader { get; }
        public ulong Fingerprint { get; }
        public byte[] SingleObjectHeader { get; }
    }
}
