using Avro;

namespace AgentStateProcessor.Schemas;

/// <summary>
/// The <c>.avsc</c> files under <c>schemas/</c>, embedded in this assembly. Paths are relative to <c>schemas/</c>
/// with forward slashes, for example <c>events/EventAgentLogin.avsc</c> or <c>snapshots/AgentSnapshot.avsc</c>.
/// </summary>
public static class EmbeddedSchemas
{
    private const string ResourcePrefix = "schemas/";

    /// <summary>Every embedded schema path, in ordinal order.</summary>
    public static IReadOnlyList<string> Paths { get; } = typeof(EmbeddedSchemas).Assembly.GetManifestResourceNames()
        .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
        .Select(name => name[ResourcePrefix.Length..])
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>The schema at <paramref name="path"/>, parsed by Apache.Avro.</summary>
    /// <exception cref="FileNotFoundException">No schema is embedded at that path.</exception>
    public static Schema Load(string path) => Schema.Parse(ReadText(path));

    /// <summary>The record schema at <paramref name="path"/>, parsed by Apache.Avro.</summary>
    /// <exception cref="InvalidDataException">The schema there is not a record.</exception>
    public static RecordSchema LoadRecord(string path) =>
        Load(path) as RecordSchema ?? throw new InvalidDataException($"{path} is not a record schema.");

    /// <summary>The schema file's text, exactly as committed.</summary>
    /// <exception cref="FileNotFoundException">No schema is embedded at that path.</exception>
    public static string ReadText(string path)
    {
        using var stream = typeof(EmbeddedSchemas).Assembly.GetManifestResourceStream(ResourcePrefix + path)
            ?? throw new FileNotFoundException(
                $"No schema is embedded at '{path}'. Embedded: {string.Join(", ", Paths)}.", path);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
