using System.Text;

namespace AgentStateProcessor.Avro;

/// <summary>
/// A value that does not fit its schema, found deep inside the value. Each record, array and map level it passes
/// through on the way out adds its segment, so the public message can name the field path; it is turned into a plain
/// <see cref="AvroException"/> at the public entry point.
/// </summary>
internal sealed class AvroValueException(string reason) : AvroException(reason)
{
    private readonly List<string> _segmentsInnermostFirst = [];

    public string Reason { get; } = reason;

    public AvroValueException Within(string segment)
    {
        _segmentsInnermostFirst.Add(segment);
        return this;
    }

    public AvroException ToPublic(AvroSchema root)
    {
        var message = new StringBuilder(root is NamedSchema named ? named.Name : root.Type.ToSchemaName());
        for (var i = _segmentsInnermostFirst.Count - 1; i >= 0; i--)
        {
            message.Append(_segmentsInnermostFirst[i]);
        }
        return new AvroException(message.Append(": ").Append(Reason).ToString(), this);
    }

    public static string FieldSegment(string fieldName) => "." + fieldName;

    public static string IndexSegment(int index) => "[" + index + "]";

    public static string KeySegment(string key) => "[\"" + key + "\"]";

    public static AvroValueException Mismatch(AvroSchema schema, object? value) =>
        new($"expected {Describe(schema)}, got {Describe(value)}");

    public static AvroValueException TooDeep(int maxDepth) =>
        new($"the value nests deeper than {maxDepth} levels (is a record contained in itself?)");

    public static string Describe(AvroSchema schema) => schema switch
    {
        NamedSchema named => $"{named.Type.ToSchemaName()} {named.FullName}",
        UnionSchema union => "one of [" + string.Join(", ", union.BranchArray.Select(Describe)) + "]",
        _ => schema.Type.ToSchemaName(),
    };

    private static string Describe(object? value) => value switch
    {
        null => "null",
        GenericRecord record => "record " + record.Schema.FullName,
        GenericEnum symbol => $"enum {symbol.Schema.FullName} symbol {symbol.Symbol}",
        GenericFixed fixedValue => $"fixed {fixedValue.Schema.FullName}",
        byte[] bytes => $"Byte[{bytes.Length}]",
        _ => value.GetType().Name,
    };
}
