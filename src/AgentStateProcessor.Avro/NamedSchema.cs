namespace AgentStateProcessor.Avro;

/// <summary>A record, enum or fixed: the types that have a full name and can be referenced by it.</summary>
public abstract class NamedSchema : AvroSchema
{
    private protected NamedSchema(
        AvroType type,
        SchemaName name,
        IReadOnlyList<string> aliases,
        string? doc,
        string? logicalType,
        IReadOnlyList<SchemaProperty> properties)
        : base(type, logicalType, properties)
    {
        Name = name.Name;
        Namespace = name.Namespace;
        FullName = name.FullName;
        Aliases = aliases;
        Doc = doc;
    }

    public string Name { get; }

    /// <summary>The namespace, or null for the null namespace.</summary>
    public string? Namespace { get; }

    public string FullName { get; }

    /// <summary>Aliases, as full names (relative aliases resolved against <see cref="Namespace"/>).</summary>
    public IReadOnlyList<string> Aliases { get; }

    public string? Doc { get; }
}

/// <summary>A validated name split into its parts.</summary>
internal readonly record struct SchemaName(string Name, string? Namespace)
{
    public string FullName => Namespace is null ? Name : Namespace + "." + Name;
}

public sealed class RecordSchema : NamedSchema
{
    private AvroField[] _fields = [];
    private Dictionary<string, AvroField> _fieldsByName = new(StringComparer.Ordinal);

    internal RecordSchema(SchemaName name, IReadOnlyList<string> aliases, string? doc, IReadOnlyList<SchemaProperty> properties)
        : base(AvroType.Record, name, aliases, doc, null, properties)
    {
    }

    public IReadOnlyList<AvroField> Fields => _fields;

    public AvroField? GetField(string name) => _fieldsByName.GetValueOrDefault(name);

    /// <summary>Fields are attached after the record is registered, so that fields can refer to the record itself.</summary>
    internal void SetFields(AvroField[] fields)
    {
        var byName = new Dictionary<string, AvroField>(fields.Length, StringComparer.Ordinal);
        foreach (var field in fields)
        {
            byName.Add(field.Name, field);
        }
        _fields = fields;
        _fieldsByName = byName;
    }

    internal AvroField[] FieldArray => _fields;

    private protected override int ComputeMinEncodedSize()
    {
        var size = 0;
        foreach (var field in _fields)
        {
            size += field.Schema.MinEncodedSize;
        }
        return size;
    }
}

public sealed class EnumSchema : NamedSchema
{
    private readonly string[] _symbols;
    private readonly Dictionary<string, int> _indexBySymbol;
    private readonly GenericEnum[] _values;

    internal EnumSchema(
        SchemaName name,
        IReadOnlyList<string> aliases,
        string? doc,
        string[] symbols,
        string? defaultSymbol,
        IReadOnlyList<SchemaProperty> properties)
        : base(AvroType.Enum, name, aliases, doc, null, properties)
    {
        _symbols = symbols;
        _indexBySymbol = new Dictionary<string, int>(symbols.Length, StringComparer.Ordinal);
        for (var i = 0; i < symbols.Length; i++)
        {
            _indexBySymbol.Add(symbols[i], i);
        }
        Default = defaultSymbol;
        _values = new GenericEnum[symbols.Length];
        for (var i = 0; i < symbols.Length; i++)
        {
            _values[i] = new GenericEnum(this, symbols[i]);
        }
    }

    public IReadOnlyList<string> Symbols => _symbols;

    /// <summary>The symbol readers use for a writer's symbol they do not know, if the schema names one.</summary>
    public string? Default { get; }

    public int IndexOf(string symbol) => _indexBySymbol.GetValueOrDefault(symbol, -1);

    /// <summary>The shared value of the symbol at <paramref name="index"/>; decoding reuses these instead of allocating.</summary>
    internal GenericEnum ValueAt(int index) => _values[index];

    private protected override int ComputeMinEncodedSize() => 1;
}

public sealed class FixedSchema : NamedSchema
{
    internal FixedSchema(
        SchemaName name,
        IReadOnlyList<string> aliases,
        string? doc,
        int size,
        string? logicalType,
        IReadOnlyList<SchemaProperty> properties)
        : base(AvroType.Fixed, name, aliases, doc, logicalType, properties) => Size = size;

    public int Size { get; }

    private protected override int ComputeMinEncodedSize() => Size;
}
