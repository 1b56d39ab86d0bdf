namespace AgentStateProcessor.Avro;

public enum AvroType
{
    Null,
    Boolean,
    Int,
    Long,
    Float,
    Double,
    Bytes,
    String,
    Record,
    Enum,
    Array,
    Map,
    Union,
    Fixed,
}

internal static class AvroTypeNames
{
    /// <summary>The name the specification uses for a type, as written in schemas and JSON union branches.</summary>
    public static string ToSchemaName(this AvroType type) => type switch
    {
        AvroType.Null => "null",
        AvroType.Boolean => "boolean",
        AvroType.Int => "int",
        AvroType.Long => "long",
        AvroType.Float => "float",
        AvroType.Double => "double",
        AvroType.Bytes => "bytes",
        AvroType.String => "string",
        AvroType.Record => "record",
        AvroType.Enum => "enum",
        AvroType.Array => "array",
        AvroType.Map => "map",
        AvroType.Union => "union",
        AvroType.Fixed => "fixed",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static bool TryParsePrimitive(string name, out AvroType type)
    {
        type = name switch
        {
            "null" => AvroType.Null,
            "boolean" => AvroType.Boolean,
            "int" => AvroType.Int,
            "long" => AvroType.Long,
            "float" => AvroType.Float,
            "double" => AvroType.Double,
            "bytes" => AvroType.Bytes,
            "string" => AvroType.String,
            _ => AvroType.Union, // sentinel: not a primitive
        };
        return type != AvroType.Union;
    }
}
