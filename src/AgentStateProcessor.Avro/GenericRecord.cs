namespace AgentStateProcessor.Avro;

/// <summary>A record value: one slot per field of its schema, in field order. Fields start out null.</summary>
public sealed class GenericRecord : IEquatable<GenericRecord>
{
    private readonly object?[] _values;

    public GenericRecord(RecordSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        Schema = schema;
        _values = new object?[schema.FieldArray.Length];
    }

    /// <summary>Takes ownership of <paramref name="values"/>, which must hold one slot per field.</summary>
    internal GenericRecord(RecordSchema schema, object?[] values)
    {
        Schema = schema;
        _values = values;
    }

    public RecordSchema Schema { get; }

    public object? this[int position]
    {
        get => _values[CheckPosition(position)];
        set => _values[CheckPosition(position)] = value;
    }

    public object? this[string fieldName]
    {
        get => _values[PositionOf(fieldName)];
        set => _values[PositionOf(fieldName)] = value;
    }

    public bool TryGetValue(string fieldName, out object? value)
    {
        if (Schema.GetField(fieldName) is { } field)
        {
            value = _values[field.Position];
            return true;
        }
        value = null;
        return false;
    }

    internal object? GetValueAt(int position) => _values[position];

    public bool Equals(GenericRecord? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }
        if (other is null || !UnionSchema.SameName(Schema, other.Schema) || _values.Length != other._values.Length)
        {
            return false;
        }
        for (var i = 0; i < _values.Length; i++)
        {
            if (!GenericValueEquality.ValuesEqual(_values[i], other._values[i]))
            {
                return false;
            }
        }
        return true;
    }

    public override bool Equals(object? obj) => obj is GenericRecord other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Schema.FullName, StringComparer.Ordinal);
        foreach (var value in _values)
        {
            hash.Add(GenericValueEquality.HashOf(value));
        }
        return hash.ToHashCode();
    }

    /// <summary>The record in the Avro JSON encoding, or a note saying why it cannot be encoded.</summary>
    public override string ToString()
    {
        try
        {
            return AvroJson.ToJson(Schema, this);
        }
        catch (AvroException ex)
        {
            return $"{Schema.FullName} (not valid for its schema: {ex.Message})";
        }
    }

    private int CheckPosition(int position) =>
        (uint)position < (uint)_values.Length
            ? position
            : throw new AvroException($"Record {Schema.FullName} has {_values.Length} fields; there is no field at position {position}.");

    private int PositionOf(string fieldName) =>
        Schema.GetField(fieldName)?.Position
        ?? throw new AvroException($"Record {Schema.FullName} has no field '{fieldName}'.");
}

/// <summary>An enum value. Two values are equal when their enums have the same full name and the symbols match.</summary>
public sealed record GenericEnum
{
    public GenericEnum(EnumSchema schema, string symbol)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(symbol);
        Index = schema.IndexOf(symbol);
        if (Index < 0)
        {
            throw new AvroException($"'{symbol}' is not a symbol of enum {schema.FullName}.");
        }
        Schema = schema;
        Symbol = symbol;
    }

    public EnumSchema Schema { get; }

    public string Symbol { get; }

    /// <summary>The symbol's position in <see cref="EnumSchema.Symbols"/>: what the binary encoding writes.</summary>
    public int Index { get; }

    public void Deconstruct(out EnumSchema schema, out string symbol)
    {
        schema = Schema;
        symbol = Symbol;
    }

    public bool Equals(GenericEnum? other) =>
        other is not null && Symbol == other.Symbol && UnionSchema.SameName(Schema, other.Schema);

    public override int GetHashCode() => HashCode.Combine(Schema.FullName, Symbol);

    public override string ToString() => Symbol;
}

/// <summary>A fixed value: exactly <see cref="FixedSchema.Size"/> bytes.</summary>
public sealed class GenericFixed : IEquatable<GenericFixed>
{
    public GenericFixed(FixedSchema schema, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length != schema.Size)
        {
            throw new AvroException($"Fixed {schema.FullName} holds {schema.Size} bytes, not {bytes.Length}.");
        }
        Schema = schema;
        Bytes = bytes;
    }

    public FixedSchema Schema { get; }

    public byte[] Bytes { get; }

    public bool Equals(GenericFixed? other) =>
        other is not null && UnionSchema.SameName(Schema, other.Schema) && Bytes.AsSpan().SequenceEqual(other.Bytes);

    public override bool Equals(object? obj) => obj is GenericFixed other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Schema.FullName, GenericValueEquality.HashOf(Bytes));

    public override string ToString() => $"{Schema.FullName}({Convert.ToHexString(Bytes)})";
}
