using AgentStateProcessor.Avro;

namespace AgentStateProcessor.SchemaRegistry;

/// <summary>
/// Frames Avro bodies of one schema for one topic in the Confluent wire format, with the schema
/// registered under the topic's value subject (README.md, Outputs).
/// Call <see cref="EnsureRegisteredAsync"/> once before framing, e.g. when the pipeline starts,
/// so that producing never waits on the registry.
/// </summary>
internal sealed class ConfluentAvroSerializer
{
    private const int NotRegistered = -1;

    private readonly SchemaRegistryClient _registry;
    private int _schemaId = NotRegistered;

    public ConfluentAvroSerializer(SchemaRegistryClient registry, string topic, AvroSchema schema)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(schema);
        _registry = registry;
        Subject = SchemaRegistryClient.SubjectNameFor(topic);
        Schema = schema;
    }

    public string Subject { get; }

    public AvroSchema Schema { get; }

    public bool IsRegistered => Volatile.Read(ref _schemaId) != NotRegistered;

    /// <summary>The registry's id of <see cref="Schema"/>; only after <see cref="EnsureRegisteredAsync"/>.</summary>
    public int SchemaId
    {
        get
        {
            var id = Volatile.Read(ref _schemaId);
            return id != NotRegistered
                ? id
                : throw new InvalidOperationException($"The schema for subject '{Subject}' is not registered yet; call {nameof(EnsureRegisteredAsync)} first.");
        }
    }

    /// <summary>Registers the schema (its full JSON, so docs and defaults reach consumers) unless that was done already.</summary>
    public async Task<int> EnsureRegisteredAsync(CancellationToken cancellationToken)
    {
        if (IsRegistered)
        {
            return _schemaId;
        }
        var id = await _registry.RegisterAsync(Subject, Schema.ToString(), cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _schemaId, id);
        return id;
    }

    /// <summary>Magic byte 0, the schema id big-endian, then <paramref name="avroBody"/> (Avro binary of <see cref="Schema"/>).</summary>
    public byte[] Frame(ReadOnlySpan<byte> avroBody) => ConfluentWireFormat.Frame(SchemaId, avroBody);
}
