using System.Buffers.Binary;
using Avro;
using Avro.Generic;
using Avro.IO;
using AgentStateProcessor.Processing.Intake;
using AgentStateProcessor.TestSupport;

namespace AgentStateProcessor.Processing.Tests.Support;

/// <summary>
/// Confluent-framed Avro input built with Apache.Avro, and a decoder standing in for the schema
/// registry's deserializer: it knows a fixed set of writer schemas by id.
/// </summary>
internal static class AvroInputs
{
    public static RecordSchema File(params string[] relativePath) =>
        (RecordSchema)Schema.Parse(System.IO.File.ReadAllText(RepositoryRoot.PathOf(relativePath)));

    public static RecordSchema EventFile(string eventName) => File("schemas", "events", eventName + ".avsc");

    /// <summary>Magic byte 0, the schema id big-endian, then the Apache.Avro body of <paramref name="datum"/>.</summary>
    public static byte[] Framed(int schemaId, Schema schema, object datum)
    {
        using var stream = new MemoryStream();
        Span<byte> header = stackalloc byte[5];
        BinaryPrimitives.WriteInt32BigEndian(header[1..], schemaId);
        stream.Write(header);
        new GenericDatumWriter<object>(schema).Write(datum, new BinaryEncoder(stream));
        return stream.ToArray();
    }

    /// <summary>
    /// Decodes with the writer schema registered under the value's id: unknown ids, non-record
    /// schemas, bodies whose lengths overrun them and bodies Apache.Avro cannot read (or leaves bytes of) are the decoder's failures.
    /// </summary>
    public static FramedAvroDecoder Decoder(IReadOnlyDictionary<int, Schema> writerSchemas) => (value, _) =>
    {
        var schemaId = BinaryPrimitives.ReadInt32BigEndian(value.Span[1..5]);
        if (!writerSchemas.TryGetValue(schemaId, out var schema))
        {
            return FramedAvroResult.Failed(IntakeCodes.UnknownSchemaId, $"schema id {schemaId} is not known to the schema registry");
        }
        if (schema is not RecordSchema record)
        {
            return FramedAvroResult.Failed(IntakeCodes.NotAnEventRecord, $"schema id {schemaId} is not a record schema");
        }
        if (AvroBodyBounds.FindOverrun(record, value.Span[5..]) is { } overrun)
        {
            return FramedAvroResult.Failed(IntakeCodes.AvroDecodeFailed, overrun);
        }
        using var body = new MemoryStream(value[5..].ToArray());
        try
        {
            var decoded = new GenericDatumReader<GenericRecord>(record, record).Read(null!, new BinaryDecoder(body));
            return body.Position == body.Length
                ? FramedAvroResult.Decoded(decoded)
                : FramedAvroResult.Failed(IntakeCodes.AvroDecodeFailed, "bytes after the record");
        }
        catch (Exception e)
        {
            return FramedAvroResult.Failed(IntakeCodes.AvroDecodeFailed, e.Message);
        }
    };
}
