using System.Collections;

namespace AgentStateProcessor.Avro;

public sealed class UnionSchema : AvroSchema
{
    private const int NoMatch = 0;
    private const int WideningMatch = 1;
    private const int ExactMatch = 2;

    private readonly AvroSchema[] _branches;

    internal UnionSchema(AvroSchema[] branches)
        : base(AvroType.Union, null, []) => _branches = branches;

    public IReadOnlyList<AvroSchema> Branches => _branches;

    internal AvroSchema[] BranchArray => _branches;

    /// <summary>
    /// The branch a generic value is written with: the first branch whose type is the value's own type,
    /// otherwise the first that takes it by widening (int to long, float to double); -1 when none does.
    /// </summary>
    internal int SelectBranch(object? value)
    {
        var firstWidening = -1;
        for (var i = 0; i < _branches.Length; i++)
        {
            var match = Match(_branches[i], value);
            if (match == ExactMatch)
            {
                return i;
            }
            if (match == WideningMatch && firstWidening < 0)
            {
                firstWidening = i;
            }
        }
        return firstWidening;
    }

    private static int Match(AvroSchema branch, object? value) => value switch
    {
        null => Exact(branch.Type == AvroType.Null),
        bool => Exact(branch.Type == AvroType.Boolean),
        int => branch.Type == AvroType.Int ? ExactMatch : branch.Type == AvroType.Long ? WideningMatch : NoMatch,
        long => Exact(branch.Type == AvroType.Long),
        float => branch.Type == AvroType.Float ? ExactMatch : branch.Type == AvroType.Double ? WideningMatch : NoMatch,
        double => Exact(branch.Type == AvroType.Double),
        string => Exact(branch.Type == AvroType.String),
        byte[] bytes => Exact(branch.Type == AvroType.Bytes || (branch is FixedSchema fixedSchema && fixedSchema.Size == bytes.Length)),
        GenericRecord record => Exact(branch is RecordSchema recordSchema && SameName(recordSchema, record.Schema)),
        GenericEnum symbol => Exact(branch is EnumSchema enumSchema && SameName(enumSchema, symbol.Schema)),
        GenericFixed fixedValue => Exact(branch is FixedSchema fixedSchema && SameName(fixedSchema, fixedValue.Schema)),
        IDictionary<string, object?> => Exact(branch.Type == AvroType.Map),
        IList => Exact(branch.Type == AvroType.Array),
        _ => NoMatch,
    };

    private static int Exact(bool matches) => matches ? ExactMatch : NoMatch;

    internal static bool SameName(NamedSchema expected, NamedSchema actual) =>
        ReferenceEquals(expected, actual) || string.Equals(expected.FullName, actual.FullName, StringComparison.Ordinal);

    private protected override int ComputeMinEncodedSize() => 1;
}
