using System.Buffers.Binary;
using AgentStateProcessor.Processing.Intake;
using Avro.Generic;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using AvroSchema = Avro.Schema;
using ConfluentRegistryException = Confluent.SchemaRegistry.SchemaRegistryException;

namespace AgentStateProcessor.SchemaRegistry;

/// <summary>
/// Decodes Confluent-framed Avro input into a record of its writer's schema with Confluent's
/// <see cref="AvroDeserializer{T}"/>; <see cref="Decode"/> is the pipeline's <see cref="FramedAvroDecoder"/>.
/// A value bad in itself becomes a failure with an intake code; a registry that cannot be asked, or
/// refuses the credentials, throws, so the record is not dead-lettered for the registry's fault.
/// Writer schemas are fetched once per id and kept by the shared client.
/// </summary>
internal sealed class RegistryAvroDecoder
{
    private const int HeaderLength = 5;

    private readonly ISchemaRegistryClient _registry;
    private readonly AvroDeserializer<GenericRecord> _deserializer;

    public RegistryAvroDecoder(ISchemaRegistryClient registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _registry = registry;
        // The writer's schema comes from the id alone; no subject is needed, and None spares the
        // association lookup that Confluent's default strategy makes per topic.
        _deserializer = new AvroDeserializer<GenericRecord>(registry, new AvroDeserializerConfig { SubjectNameStrategy = SubjectNameStrategy.None });
    }

    /// <summary>Synchronous for the stream thread: blocks only the first time a schema id is seen.</summary>
    /// <exception cref="SchemaRegistryUnavailableException">The registry could not be reached or answered 5xx after its retries.</exception>
    /// <exception cref="SchemaRegistryAuthenticationException">The registry refused the credentials (401/403).</exception>
    public FramedAvroResult Decode(ReadOnlyMemory<byte> value, string topic) =>
        DecodeAsync(value, topic).GetAwaiter().GetResult();

    /// <inheritdoc cref="Decode"/>
    public async Task<FramedAvroResult> DecodeAsync(ReadOnlyMemory<byte> value, string topic)
    {
        if (value.Length < HeaderLength || value.Span[0] != 0)
        {
            return FramedAvroResult.Failed(IntakeCodes.AvroDecodeFailed,
                $"value of {value.Length} bytes is not in the Confluent wire format (magic byte 0 and a 4-byte schema id before the Avro body)");
        }
        var schemaId = BinaryPrimitives.ReadInt32BigEndian(value.Span[1..HeaderLength]);

        GenericRecord? record;
        try
        {
            record = await _deserializer.DeserializeAsync(value, isNull: false, new SerializationContext(MessageComponentType.Value, topic)).ConfigureAwait(false);
        }
        catch (ConfluentRegistryException e) when (e.ErrorCode == SchemaRegistryFailures.SchemaNotFoundErrorCode)
        {
            return FramedAvroResult.Failed(IntakeCodes.UnknownSchemaId, $"schema id {schemaId} is not known to the schema registry");
        }
        catch (Exception e) when (SchemaRegistryFailures.Classify(e, $"fetching the writer schema of id {schemaId}") is { } failure)
        {
            throw failure;
        }
        catch (ConfluentRegistryException e)
        {
            // Any other refusal (a 404 from a proxy or a wrong path prefix, say) is the registry's
            // problem, not the record's: dead-lettering on it could empty a topic into the dead letters.
            throw new SchemaRegistryUnavailableException(
                $"The schema registry answered HTTP {(int)e.Status} while fetching the writer schema of id {schemaId}: {e.Message}", e);
        }
        catch (Exception e)
        {
            // Anything else went wrong reading the body; a writer schema that is not a record also lands here.
            return await NotARecord(schemaId).ConfigureAwait(false)
                ?? FramedAvroResult.Failed(IntakeCodes.AvroDecodeFailed, $"schema id {schemaId}: {e.GetType().Name}: {e.Message}");
        }

        return record is not null
            ? FramedAvroResult.Decoded(record)
            : await NotARecord(schemaId).ConfigureAwait(false)
              ?? FramedAvroResult.Failed(IntakeCodes.AvroDecodeFailed, $"schema id {schemaId}: the body decoded to nothing");
    }

    /// <summary>A failure naming the writer schema's type when it is not a record; the schema is in the client's cache by now.</summary>
    private async Task<FramedAvroResult?> NotARecord(int schemaId)
    {
        AvroSchema parsed;
        try
        {
            var writer = await _registry.GetSchemaBySubjectAndIdAsync(null, schemaId).ConfigureAwait(false);
            parsed = AvroSchema.Parse(writer.SchemaString);
        }
        catch (Exception)
        {
            // The decoding failure stands on its own; what the schema is does not change the verdict.
            return null;
        }
        return parsed.Tag == AvroSchema.Type.Record
            ? null
            : FramedAvroResult.Failed(IntakeCodes.NotAnEventRecord, $"schema id {schemaId} is a {parsed.Tag} schema, not a record");
    }
}
