using System.Buffers.Binary;
using System.Collections.Concurrent;
using Avro;
using Avro.Generic;
using Avro.IO;
using AgentStateProcessor.Processing.Intake;

namespace AgentStateProcessor.SchemaRegistry;

// Transitional: replaced by Confluent.SchemaRegistry.Serdes.Avro's AvroDeserializer<GenericRecord>.
/// <summary>
/// Decodes a Confluent-framed Avro value (magic byte 0, 4-byte big-endian schema id, body) with
/// its writer's schema, fetched from the registry once per id and parsed by Apache.Avro.
/// </summary>
internal sealed class RegistryAvroDecoder(SchemaRegistryClient registry, CancellationToken cancellationToken)
{
    private readonly ConcurrentDictionary<int, WriterSchema> _writerSchemas = new();

    /// <summary>A registered schema and, when it is a record, Apache.Avro's reader of it (built once: building resolves the schema).</summary>
    private sealed record WriterSchema(Schema Schema, GenericDatumReader<GenericRecord>? Reader);

    /// <exception cref="SchemaRegistryException">The registry could not be asked (retrying later may work).</exception>
    public FramedAvroResult Decode(ReadOnlyMemory<byte> value, string topic)
    {
        var schemaId = BinaryPrimitives.ReadInt32BigEndian(value.Span[1..5]);
        WriterSchema writerSchema;
        try
        {
            writerSchema = WriterSchemaOf(schemaId);
        }
        catch (SchemaRegistryException e) when (e.IsSchemaNotFound)
        {
            return FramedAvroResult.Failed(IntakeCodes.UnknownSchemaId, $"schema id {schemaId} is not known to the schema registry");
        }
        catch (SchemaParseException e)
        {
            return FramedAvroResult.Failed(IntakeCodes.AvroDecodeFailed, $"schema id {schemaId} is not a schema Apache.Avro can parse: {e.Message}");
        }
        if (writerSchema.Reader is not { } reader)
        {
            return FramedAvroResult.Failed(IntakeCodes.NotAnEventRecord, $"schema id {schemaId} is not a record schema");
        }

        using var body = new MemoryStream(value[5..].ToArray(), writable: false);
        try
        {
            var record = reader.Read(null!, new BinaryDecoder(body));
            return body.Position == body.Length
                ? FramedAvroResult.Decoded(record)
                : FramedAvroResult.Failed(IntakeCodes.AvroDecodeFailed, $"schema id {schemaId}: {body.Length - body.Position} bytes after the record");
        }
        catch (Exception e)
        {
            // Apache.Avro reports a damaged body as whatever its stream or conversion threw; the bytes are bad, not the service.
            return FramedAvroResult.Failed(IntakeCodes.AvroDecodeFailed, $"schema id {schemaId}: {e.Message}");
        }
    }

    /// <summary>The schema registered under <paramref name="schemaId"/>, fetched once and parsed once: an id never changes its schema.</summary>
    private WriterSchema WriterSchemaOf(int schemaId)
    {
        if (_writerSchemas.TryGetValue(schemaId, out var cached)) return cached;
        var schema = Schema.Parse(registry.GetSchemaByIdAsync(schemaId, cancellationToken).GetAwaiter().GetResult());
        var reader = schema is RecordSchema record ? new GenericDatumReader<GenericRecord>(record, record) : null;
        return _writerSchemas.GetOrAdd(schemaId, new WriterSchema(schema, reader));
    }
}
