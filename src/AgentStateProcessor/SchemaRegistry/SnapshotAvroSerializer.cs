using Avro.Generic;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using AvroRecordSchema = Avro.RecordSchema;
using RegistrySchema = Confluent.SchemaRegistry.Schema;

namespace AgentStateProcessor.SchemaRegistry;

/// <summary>
/// Writes the snapshots of one topic in the Confluent wire format (magic byte 0, the schema id
/// big-endian, the Avro body) with Confluent's <see cref="AvroSerializer{T}"/>, the schema
/// registered under the subject <see cref="SchemaRegistryOptions.SubjectNameStrategy"/> names.
/// Call <see cref="EnsureRegisteredAsync"/> once at start-up: it asks the registry exactly what the
/// serializer would ask on its first record, so the answer is in the shared client's cache and
/// <see cref="Serialize"/> never waits on the registry afterwards.
/// </summary>
internal sealed class SnapshotAvroSerializer
{
    private readonly ISchemaRegistryClient _registry;
    private readonly SchemaRegistryOptions _options;
    private readonly AvroSerializer<GenericRecord> _serializer;
    private readonly SerializationContext _context;
    private int? _schemaId;

    public SnapshotAvroSerializer(ISchemaRegistryClient registry, SchemaRegistryOptions options, string topic, AvroRecordSchema schema)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentNullException.ThrowIfNull(schema);
        _registry = registry;
        _options = options;
        Topic = topic;
        Schema = schema;
        _serializer = new AvroSerializer<GenericRecord>(registry, options.ToAvroSerializerConfig());
        _context = new SerializationContext(MessageComponentType.Value, topic);
        Subject = options.ConfluentStrategy.ToAsyncDelegate()(_context, schema.Fullname).GetAwaiter().GetResult();
    }

    public string Topic { get; }

    public AvroRecordSchema Schema { get; }

    /// <summary>The subject the schema is registered (or looked up) under.</summary>
    public string Subject { get; }

    /// <summary>The registry's id of the schema written; null before <see cref="EnsureRegisteredAsync"/>.</summary>
    public int? SchemaId => _schemaId;

    /// <summary>
    /// Registers <see cref="Schema"/> under <see cref="Subject"/> (with AutoRegisterSchemas), or looks
    /// it up there (without), or fetches the subject's latest version (with UseLatestVersion), and
    /// returns the id records will carry.
    /// </summary>
    /// <exception cref="SchemaRegistryUnavailableException">The registry could not be asked.</exception>
    /// <exception cref="SchemaRegistryAuthenticationException">The registry refused the credentials.</exception>
    /// <exception cref="InvalidOperationException">The registry refused the schema (e.g. incompatible, or not registered while AutoRegisterSchemas is off).</exception>
    public async Task<int> EnsureRegisteredAsync(CancellationToken cancellationToken)
    {
        var operation = $"{(_options.UseLatestVersion ? "fetching the latest schema of" : _options.AutoRegisterSchemas ? "registering the snapshot schema under" : "looking up the snapshot schema under")} subject '{Subject}'";
        try
        {
            // The serializer keys its requests by the schema's JSON text with no references; the same key hits the client's cache later.
            var schema = new RegistrySchema(Schema.ToString(), [], SchemaType.Avro);
            var registered = _options.UseLatestVersion
                ? await _registry.GetLatestSchemaAsync(Subject).WaitAsync(cancellationToken).ConfigureAwait(false)
                : _options.AutoRegisterSchemas
                    ? await _registry.RegisterSchemaWithResponseAsync(Subject, schema, normalize: false).WaitAsync(cancellationToken).ConfigureAwait(false)
                    : await _registry.LookupSchemaAsync(Subject, schema, ignoreDeletedSchemas: true, normalize: false).WaitAsync(cancellationToken).ConfigureAwait(false);
            _schemaId = registered.Id;
            return registered.Id;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw Translate(e, operation);
        }
    }

    /// <summary>
    /// The record in the Confluent wire format. Synchronous for the stream thread: after
    /// <see cref="EnsureRegisteredAsync"/> it only encodes; before, the first call blocks on the registry.
    /// </summary>
    /// <exception cref="SchemaRegistryUnavailableException">Only before registration: the registry could not be asked.</exception>
    /// <exception cref="SchemaRegistryAuthenticationException">Only before registration: the registry refused the credentials.</exception>
    public byte[] Serialize(GenericRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            return _serializer.SerializeAsync(record, _context).GetAwaiter().GetResult();
        }
        catch (Exception e) when (SchemaRegistryFailures.Classify(e, $"serializing a snapshot for subject '{Subject}'", AskToRegister) is { } failure)
        {
            throw failure;
        }
    }

    private Exception Translate(Exception e, string operation) =>
        SchemaRegistryFailures.Classify(e, operation, AskToRegister)
        ?? new InvalidOperationException($"The schema registry refused {operation}: {e.Message}", e);

    /// <summary>Registration as the serializer asks for it; once answered, the client's cache answers the serializer.</summary>
    private Task AskToRegister() => EnsureRegisteredAsync(CancellationToken.None);
}
