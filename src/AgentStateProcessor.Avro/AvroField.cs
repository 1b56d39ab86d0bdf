using System.Text.Json;

namespace AgentStateProcessor.Avro;

public sealed class AvroField
{
    private readonly JsonElement? _defaultJson;
    private object? _immutableDefault;
    private bool _hasImmutableDefault;

    internal AvroField(
        string name,
        int position,
        AvroSchema schema,
        string? doc,
        JsonElement? defaultJson,
        string? order,
        IReadOnlyList<string> aliases,
        IReadOnlyList<SchemaProperty> properties)
    {
        Name = name;
        Position = position;
        Schema = schema;
        Doc = doc;
        _defaultJson = defaultJson;
        Order = order;
        Aliases = aliases;
        Properties = properties;
    }

    public string Name { get; }

    public int Position { get; }

    public AvroSchema Schema { get; }

    public string? Doc { get; }

    public IReadOnlyList<string> Aliases { get; }

    public bool HasDefault => _defaultJson.HasValue;

    /// <summary>
    /// The default as a generic value (for a union, a value of its first branch). Arrays, maps, records and
    /// bytes are built fresh on every call, so callers may keep and change what they get.
    /// </summary>
    public object? DefaultValue
    {
        get
        {
            if (_defaultJson is not { } json)
            {
                return null;
            }
            if (_hasImmutableDefault)
            {
                return _immutableDefault;
            }
            var value = DefaultValueReader.Read(Schema, json, Name);
            if (value is null or bool or int or long or float or double or string or GenericEnum)
            {
                _immutableDefault = value;
                _hasImmutableDefault = true;
            }
            return value;
        }
    }

    /// <summary>The "order" attribute as written (ascending, descending or ignore), or null.</summary>
    internal string? Order { get; }

    internal IReadOnlyList<SchemaProperty> Properties { get; }

    internal JsonElement? DefaultJson => _defaultJson;

    public override string ToString() => $"{Name}: {Schema}";
}
