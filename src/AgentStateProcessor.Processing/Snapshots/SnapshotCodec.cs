using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Avro;
using Avro.Generic;
using Avro.IO;

namespace AgentStateProcessor.Processing.Snapshots;

/// <summary>
/// Snapshot value bytes without a schema registry: Avro single-object encoding (C3 01, the schema's
/// CRC-64-AVRO fingerprint little-endian, the body Apache.Avro writes). Apache.Avro for .NET does not
/// implement the 10-byte header, so it is ours. With a registry, Confluent's serializer writes the
/// snapshots instead. A snapshot whose fingerprint is that of an earlier version of the schema
/// (<see cref="SnapshotSchemas.Previous"/>) is read under that writer's schema and resolved to the current one,
/// as the specification's single-object readers do: fields added since take their defaults.
/// </summary>
public static class SnapshotCodec
{
    public const int SingleObjectHeaderLength = 10;

    private static readonly ConditionalWeakTable<RecordSchema, Format> Formats = new();

    public static byte[] Encode(GenericRecord snapshot)
    {
        var format = FormatOf(snapshot.Schema);
        // Snapshots are a few hundred bytes: start there rather than grow from nothing.
        using var stream = new MemoryStream(256);
        stream.Write(format.SingleObjectHeader);
        format.Writer.Write(snapshot, new BinaryEncoder(stream));
        return stream.ToArray();
    }

    /// <summary>Reads a snapshot this processor wrote in single-object encoding, under this or an earlier version of the schema.</summary>
    /// <returns>A record of <paramref name="schema"/>.</returns>
    /// <exception cref="AvroException">The bytes are not a snapshot of <paramref name="schema"/> or of one of its earlier versions.</exception>
    public static GenericRecord Decode(RecordSchema schema, ReadOnlySpan<byte> value)
    {
        var format = FormatOf(schema);
        if (value.Length < SingleObjectHeaderLength || value[0] != 0xC3 || value[1] != 0x01)
        {
            throw new AvroException($"snapshot of {value.Length} bytes does not start with C3 01 (Avro single-object encoding)");
        }
        var fingerprint = BinaryPrimitives.ReadUInt64LittleEndian(value[2..]);
        var reader = fingerprint == format.Fingerprint ? format.Reader : format.EarlierReaders.GetValueOrDefault(fingerprint)
            ?? throw new AvroException(
                $"snapshot's schema fingerprint {fingerprint:x16} is neither {schema.Name}'s {format.Fingerprint:x16} nor that of an earlier version");

        using var stream = new MemoryStream(value[SingleObjectHeaderLength..].ToArray(), writable: false);
        GenericRecord record;
        try
        {
            record = reader.Read(reuse: null!, new BinaryDecoder(stream));
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
            EarlierReaders = SnapshotSchemas.Previous
                .Where(earlier => earlier.Fullname == schema.Fullname)
                .ToDictionary(earlier => (ulong)SchemaNormalization.ParsingFingerprint64(earlier), earlier => new GenericDatumReader<GenericRecord>(earlier, schema));
            SingleObjectHeader = new byte[SingleObjectHeaderLength];
            SingleObjectHeader[0] = 0xC3;
            SingleObjectHeader[1] = 0x01;
            BinaryPrimitives.WriteUInt64LittleEndian(SingleObjectHeader.AsSpan(2), Fingerprint);
        }

        public GenericDatumWriter<GenericRecord> Writer { get; }
        public GenericDatumReader<GenericRecord> Reader { get; }
        /// <summary>By writer fingerprint: readers that resolve a snapshot of an earlier version of the schema to this one.</summary>
        public Dictionary<ulong, GenericDatumReader<GenericRecord>> EarlierReaders { get; }
        public ulong Fingerprint { get; }
        public byte[] SingleObjectHeader { get; }
    }
}
