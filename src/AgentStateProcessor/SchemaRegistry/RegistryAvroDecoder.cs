using System.Buffers.Binary;
using System.Collections.Concurrent;
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
    private readonly TimeSpan? _answerWaitLimit;
    private readonly ConcurrentDictionary<int, AvroSchema> _writerSchemas = new();

    /// <param name="answerWaitLimit">
    /// How long <see cref="Decode"/> blocks for the registry's answer before it reports the registry
    /// unavailable (the request goes on, and is what <see cref="SchemaRegistryUnavailableException.AskAgain"/>
    /// waits for); null waits as long as the client's timeouts and retries take.
    /// </param>
    public RegistryAvroDecoder(ISchemaRegistryClient registry, TimeSpan? answerWaitLimit = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _registry = registry;
        _answerWaitLimit = answerWaitLimit;
        // The writer's schema comes from the id alone; no subject is needed, and None spares the
        // association lookup that Confluent's default strategy makes per topic.
        _deserializer = new AvroDeserializer<GenericRecord>(registry, new AvroDeserializerConfig { SubjectNameStrategy = SubjectNameStrategy.None });
    }

    /// <summary>Synchronous for the stream thread: blocks only the first time a schema id is seen, and at most the answer wait limit.</summary>
    /// <exception cref="SchemaRegistryUnavailableException">The registry could not be reached, answered 5xx after its retries, or not within the limit.</exception>
    /// <exception cref="SchemaRegistryAuthenticationException">The registry refused the credentials (401/403).</exception>
    public FramedAvroResult Decode(ReadOnlyMemory<byte> value, string topic)
    {
        var decoding = DecodeAsync(value, topic);
        if (!decoding.IsCompleted && _answerWaitLimit is { } limit && !((IAsyncResult)decoding).AsyncWaitHandle.WaitOne(limit))
        {
            throw new SchemaRegistryUnavailableException(
                $"The schema registry did not answer within {limit} while the writer schema of a record was fetched (the request goes on)",
                new TimeoutException())
            {
                AskAgain = () => decoding,
            };
        }
        return decoding.GetAwaiter().GetResult();
    }

    /// <inheritdoc cref="Decode"/>
    public async Task<FramedAvroResult> DecodeAsync(ReadOnlyMemory<byte> value, string topic)
    {
        if (value.Length < HeaderLength || value.Span[0] != 0)
        {
            return FramedAvroResult.Failed(IntakeCodes.AvroDecodeFailed,
                $"value of {value.Length} bytes is not in the Confluent wire format (magic byte 0 and a 4-byte schema id before the Avro body)");
        }
        var schemaId = BinaryPrimitives.ReadInt32BigEndian(value.Span[1..HeaderLength]);

        GenericRecord? record = null;
        string? overrun;
        try
        {
            // Apache.Avro, under the deserializer, allocates what a length prefix announces before reading it.
            var writer = await WriterSchema(schemaId).ConfigureAwait(false);
            overrun = AvroBodyBounds.FindOverrun(writer, value.Span[HeaderLength..]);
            if (overrun is null)
            {
                record = await _deserializer.DeserializeAsync(value, isNull: false, new SerializationContext(MessageComponentType.Value, topic)).ConfigureAwait(false);
            }
        }
        catch (ConfluentRegistryException e) when (e.ErrorCode == SchemaRegistryFailures.SchemaNotFoundErrorCode)
        {
            return FramedAvroResult.Failed(IntakeCodes.UnknownSchemaId, $"schema id {schemaId} is not known to the schema registry");
        }
        catch (Exception e) when (SchemaRegistryFailures.Classify(e, $"fetching the writer schema of id {schemaId}", AskForWriterSchema(schemaId)) is { } failure)
        {
            throw failure;
        }
        catch (ConfluentRegistryException e)
        {
            // Any other refusal (a 404 from a proxy or a wrong path prefix, say) is the registry's
            // problem, not the record's: dead-lettering on it could empty a topic into the dead letters.
            throw new SchemaRegistryUnavailableException(
                $"The schema registry answered HTTP {(int)e.Status} while fetching the writer schema of id {schemaId}: {e.Message}", e)
            {
                AskAgain = AskForWriterSchema(schemaId),
            };
        }
        catch (Exception e)
        {
            return await BodyFailure(schemaId, $"{e.GetType().Name}: {e.Message}", e).ConfigureAwait(false);
        }

        if (overrun is not null) return await BodyFailure(schemaId, overrun, null).ConfigureAwait(false);
        return record is not null
            ? FramedAvroResult.Decoded(record)
            : await BodyFailure(schemaId, "the body decoded to nothing", null).ConfigureAwait(false);
    }

    /// <summary>Parsed once per id; the client caches the registry's answer under the key the deserializer uses.</summary>
    private async Task<AvroSchema> WriterSchema(int schemaId)
    {
        if (_writerSchemas.TryGetValue(schemaId, out var known)) return known;
        var registered = await _registry.GetSchemaBySubjectAndIdAsync(null, schemaId).ConfigureAwait(false);
        return _writerSchemas.GetOrAdd(schemaId, AvroSchema.Parse(registered.SchemaString));
    }

    /// <summary>The request the deserializer makes for an id it has not cached; its answer is cached under the same key.</summary>
    private Func<Task> AskForWriterSchema(int schemaId) => async () =>
    {
        try
        {
            await _registry.GetSchemaBySubjectAndIdAsync(null, schemaId).ConfigureAwait(false);
        }
        catch (Exception e) when (SchemaRegistryFailures.Classify(e, $"fetching the writer schema of id {schemaId}") is { } failure)
        {
            throw failure;
        }
    };

    /// <summary>
    /// The verdict on a value that did not decode to a record. Only a value whose writer schema the
    /// registry gave us can be blamed for it: the schema is then in the client's cache and says
    /// whether it is a record. When the schema cannot be had, the failure was the registry's.
    /// </summary>
    private async Task<FramedAvroResult> BodyFailure(int schemaId, string reason, Exception? failure)
    {
        string writer;
        try
        {
            writer = (await _registry.GetSchemaBySubjectAndIdAsync(null, schemaId).ConfigureAwait(false)).SchemaString;
        }
        catch (Exception e)
        {
            var operation = $"fetching the writer schema of id {schemaId}";
            throw SchemaRegistryFailures.Classify(e, operation, AskForWriterSchema(schemaId))
                  ?? new SchemaRegistryUnavailableException($"The schema registry could not give the writer schema of id {schemaId}: {e.Message}", failure ?? e)
                  {
                      AskAgain = AskForWriterSchema(schemaId),
                  };
        }

        AvroSchema parsed;
        try
        {
            parsed = AvroSchema.Parse(writer);
        }
        catch (Exception e)
        {
            return FramedAvroResult.Failed(IntakeCodes.AvroDecodeFailed, $"schema id {schemaId}: the writer schema does not parse: {e.Message}");
        }
        return parsed.Tag == AvroSchema.Type.Record
            ? FramedAvroResult.Failed(IntakeCodes.AvroDecodeFailed, $"schema id {schemaId}: {reason}")
            : FramedAvroResult.Failed(IntakeCodes.NotAnEventRecord, $"schema id {schemaId} is a {parsed.Tag} schema, not a record");
    }
}
