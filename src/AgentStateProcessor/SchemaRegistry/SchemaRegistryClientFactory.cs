using Confluent.SchemaRegistry;

namespace AgentStateProcessor.SchemaRegistry;

/// <summary>Builds Confluent's registry client from <see cref="SchemaRegistryOptions"/>; one client serves every serializer and decoder.</summary>
internal static class SchemaRegistryClientFactory
{
    /// <exception cref="ArgumentException">The options do not validate (the message names each setting and quotes no secret).</exception>
    public static CachedSchemaRegistryClient Create(SchemaRegistryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }
        if (!options.IsConfigured)
        {
            throw new ArgumentException($"{SchemaRegistryOptions.SectionName}:Url is not set.", nameof(options));
        }
        return new CachedSchemaRegistryClient(options.ToSchemaRegistryConfig());
    }
}
