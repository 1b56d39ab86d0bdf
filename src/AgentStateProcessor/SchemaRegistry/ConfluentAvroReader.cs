using System.Collections.Concurrent;
using AgentStateProcessor.Avro;

namespace AgentStateProcessor.SchemaRegistry;

/// <summary>A Confluent-framed Avro value split into its writer schema and its Avro binary body.</summary>
internal readonly record struct ConfluentAvroMessage(int SchemaId, AvroSchema WriterSchema, ReadOnlyMemory<byte> Body);

/// <summary>
/// Finds the writer schema of Confluent-framed Avro input through the schema registry, so that such
/// values can be decoded (docs/pipeline.md). Parsed schemas are kept per id: an id never changes
/// its schema.
/// </summary>
internal sealed class ConfluentAvroReader(SchemaRegistryClient registry)
{
    private readonly ConcurrentDictionary<int, AvroSchema> _writerSchemas = new();

    /// <summary>
    /// Splits <paramref name="message"/> and resolves its writer schema.
    /// </summary>
    /// <exception cref="AvroException">The message is not in the Confluent wire format.</exception>
    /// <exception cref="SchemaRegistryException">
    /// The registry does not know the id (<see cref="SchemaRegistryException.IsSchemaNotFound"/>: the message
    /// is bad), or could not be asked (the registry is: retrying the message later may work).
    /// </exception>
    public async ValueTask<ConfluentAvroMessage> ReadAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        if (!ConfluentWireFormat.TryParse(message.Span, out var schemaId, out _))
        {
            throw new AvroException(
                $"Value of {message.Length} bytes is not in the Confluent wire format (magic byte 0 and a 4-byte schema id before the Avro body).");
        }
        var writerSchema = await GetWriterSchemaAsync(schemaId, cancellationToken).ConfigureAwait(false);
        return new ConfluentAvroMessage(schemaId, writerSchema, message[ConfluentWireFormat.HeaderLength..]);
    }

    /// <summary>The schema registered under <paramref name="schemaId"/>, fetched once and parsed once.</summary>
    public ValueTask<AvroSchema> GetWriterSchemaAsync(int schemaId, CancellationToken cancellationToken) =>
        _writerSchemas.TryGetValue(schemaId, out var cached)
            ? ValueTask.FromResult(cached)
            : new ValueTask<AvroSchema>(FetchAsync(schemaId, cancellationToken));

    /// <summary>
    /// The writer schema of <paramref name="schemaId"/> if an earlier call already resolved it; a fit
    /// for synchronous decoding after the asynchronous lookup is done.
    /// </summary>
    public AvroSchema? CachedWriterSchema(int schemaId) => _writerSchemas.GetValueOrDefault(schemaId);

    private async Task<AvroSchema> FetchAsync(int schemaId, CancellationToken cancellationToken)
    {
        var json = await registry.GetSchemaByIdAsync(schemaId, cancellationToken).ConfigureAwait(false);
        return _writerSchemas.GetOrAdd(schemaId, static (_, schemaJson) => AvroSchema.Parse(schemaJson), json);
    }
}
