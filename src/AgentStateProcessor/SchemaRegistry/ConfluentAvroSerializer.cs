using System.Buffers.Binary;
using Avro;

namespace AgentStateProcessor.SchemaRegistry;

// Transitional: replaced by Confluent.SchemaRegistry.Serdes.Avro's AvroSerializer<GenericRecord>.
/// <summary>
/// Frames Apache.Avro bodies of one schema for one topic in the Confluent wire format, with the
/// schema registered under the topic's value subject. Call <see cref="EnsureRegisteredAsync"/>
/// once before framing, so that producing never waits on the registry.
/// </summary>
internal sealed class ConfluentAvroSerializer
{
    private const int NotRegistered = -1;

    private readonly SchemaRegistryClient _registry;
    private int _schemaId = NotRegistered;

    /// <param name="schemaJson">The schema's full JSON, so that docs and defaults reach consumers.</param>
    public ConfluentAvroSerializer(SchemaRegistryClient registry, string topic, string schemaJson)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(schemaJson);
        _registry = registry;
        Subject = SchemaRegistryClient.SubjectNameFor(topic);
        SchemaJson = schemaJson;
        Schema = Schema.Parse(schemaJson);
    }

    public string Subject { get; }

    public string SchemaJson { get; }

    public Schema Schema { get; }

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

    /// <summary>Registers the schema unless that was done already.</summary>
    public async Task<int> EnsureRegisteredAsync(CancellationToken cancellationToken)
    {
        if (IsRegistered)
        {
            return _schemaId;
        }
        var id = await _registry.RegisterAsync(Subject, SchemaJson, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _schemaId, id);
        return id;
    }

    /// <summary>Magic byte 0, the schema id big-endian, then <paramref name="avroBody"/> (Avro binary of <see cref="Schema"/>).</summary>
    public byte[] Frame(ReadOnlySpan<byte> avroBody)
    {
        var framed = new byte[5 + avroBody.Length];
        BinaryPrimitives.WriteInt32BigEndian(framed.AsSpan(1), SchemaId);
        avroBody.CopyTo(framed.AsSpan(5));
        return framed;
    }
}
