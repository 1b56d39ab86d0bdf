using System.Text;

namespace AgentStateProcessor.Avro;

/// <summary>
/// A parsed Avro 1.11 schema. Instances are immutable once <see cref="Parse"/> returns and safe to share
/// between threads; the canonical form and fingerprint are computed once, on first use.
/// </summary>
public abstract class AvroSchema
{
    private string? _canonicalForm;
    private string? _json;
    private ulong _fingerprint;
    private volatile bool _hasFingerprint;
    private int _minEncodedSize = -1;

    private protected AvroSchema(AvroType type, string? logicalType, IReadOnlyList<SchemaProperty> properties)
    {
        Type = type;
        LogicalType = logicalType;
        Properties = properties;
    }

    public AvroType Type { get; }

    /// <summary>
    /// The logical type, when the schema names one this library knows on an underlying type the specification
    /// allows (for example <c>timestamp-millis</c> on <c>long</c>). Values are always the underlying type's.
    /// Unknown or misplaced logical types are ignored, as the specification requires, and kept only as properties.
    /// </summary>
    public string? LogicalType { get; }

    /// <summary>Attributes the specification does not define (and ignored logical types), for <see cref="ToString"/>.</summary>
    internal IReadOnlyList<SchemaProperty> Properties { get; }

    public static AvroSchema Parse(string json) => SchemaParser.Parse(json);

    /// <summary>The Parsing Canonical Form of the specification: what two schemas must share to read each other's data.</summary>
    public string ToCanonicalForm() => _canonicalForm ??= SchemaJsonWriter.WriteCanonicalForm(this);

    /// <summary>CRC-64-AVRO (Rabin) fingerprint of the UTF-8 canonical form.</summary>
    public ulong Fingerprint64
    {
        get
        {
            if (!_hasFingerprint)
            {
                _fingerprint = Crc64Avro.Compute(Encoding.UTF8.GetBytes(ToCanonicalForm()));
                _hasFingerprint = true;
            }
            return _fingerprint;
        }
    }

    /// <summary>The full JSON of the schema, including docs, aliases, defaults and custom attributes.</summary>
    public override string ToString() => _json ??= SchemaJsonWriter.WriteFullJson(this);

    /// <summary>The fewest bytes any value of this schema encodes to; bounds array and map block counts on decode.</summary>
    internal int MinEncodedSize
    {
        get
        {
            if (_minEncodedSize < 0)
            {
                // A record that contains itself without a union or collection in between cannot be encoded at all;
                // counting it as zero while computing keeps the computation finite.
                _minEncodedSize = 0;
                _minEncodedSize = ComputeMinEncodedSize();
            }
            return _minEncodedSize;
        }
    }

    private protected abstract int ComputeMinEncodedSize();
}

/// <summary>An attribute the specification does not define, kept with its JSON value.</summary>
internal readonly record struct SchemaProperty(string Name, System.Text.Json.JsonElement Value);

/// <summary>null, boolean, int, long, float, double, bytes or string, possibly carrying a logical type.</summary>
public sealed class PrimitiveSchema : AvroSchema
{
    private static readonly PrimitiveSchema[] Plain =
    [
        new(AvroType.Null, null, []),
        new(AvroType.Boolean, null, []),
        new(AvroType.Int, null, []),
        new(AvroType.Long, null, []),
        new(AvroType.Float, null, []),
        new(AvroType.Double, null, []),
        new(AvroType.Bytes, null, []),
        new(AvroType.String, null, []),
    ];

    internal PrimitiveSchema(AvroType type, string? logicalType, IReadOnlyList<SchemaProperty> properties)
        : base(type, logicalType, properties)
    {
    }

    /// <summary>The shared instance of a primitive type without logical type or attributes.</summary>
    internal static PrimitiveSchema Get(AvroType type) => Plain[(int)type];

    private protected override int ComputeMinEncodedSize() => Type switch
    {
        AvroType.Null => 0,
        AvroType.Float => 4,
        AvroType.Double => 8,
        _ => 1,
    };
}

public sealed class ArraySchema : AvroSchema
{
    internal ArraySchema(AvroSchema items, IReadOnlyList<SchemaProperty> properties)
        : base(AvroType.Array, null, properties) => Items = items;

    public AvroSchema Items { get; }

    private protected override int ComputeMinEncodedSize() => 1;
}

public sealed class MapSchema : AvroSchema
{
    internal MapSchema(AvroSchema values, IReadOnlyList<SchemaProperty> properties)
        : base(AvroType.Map, null, properties) => Values = values;

    public AvroSchema Values { get; }

    private protected override int ComputeMinEncodedSize() => 1;
}
