using AgentStateProcessor.Avro;
using AgentStateProcessor.Schemas.Tables;

namespace AgentStateProcessor.Schemas.Validation;

internal enum FieldKind
{
    /// <summary>The event-name field (<c>id</c> or <c>Event</c>): filled from whichever of the two the JSON used.</summary>
    EventName,
    String,
    Int,
    Long,
    TimestampMicros,
    Enum,
    KeyValueList,
}

/// <summary>How to read one field of an event: worked out once per schema so that validation only looks things up.</summary>
internal sealed class FieldPlan(string name, int position, FieldKind kind, bool nullable, EnumPlan? enumPlan)
{
    public string Name { get; } = name;
    public int Position { get; } = position;
    public FieldKind Kind { get; } = kind;
    public bool Nullable { get; } = nullable;
    public EnumPlan? Enum { get; } = enumPlan;
}

/// <summary>An enumeration's symbols and T-Library numbers, each mapped to a shared <see cref="GenericEnum"/>.</summary>
internal sealed class EnumPlan
{
    public EnumPlan(EnumSchema schema, EnumDefinition? definition)
    {
        Schema = schema;
        var bySymbol = new Dictionary<string, GenericEnum>(StringComparer.Ordinal);
        var byValue = new Dictionary<long, GenericEnum>();
        for (var index = 0; index < schema.Symbols.Count; index++)
        {
            var symbol = schema.Symbols[index];
            var value = new GenericEnum(schema, symbol);
            bySymbol.Add(symbol, value);
            // Without a table entry the position is the number, as in a C enum without explicit values.
            var number = definition?.Symbols.FirstOrDefault(s => s.Symbol == symbol)?.Value ?? index;
            byValue.Add(number, value);
        }
        BySymbol = bySymbol.GetAlternateLookup<ReadOnlySpan<char>>();
        ByValue = byValue;
    }

    public EnumSchema Schema { get; }
    public Dictionary<string, GenericEnum>.AlternateLookup<ReadOnlySpan<char>> BySymbol { get; }
    public IReadOnlyDictionary<long, GenericEnum> ByValue { get; }
}

/// <summary>Everything the validator needs to read one event: its schema, its fields, the JSON keys they answer to.</summary>
internal sealed class EventPlan
{
    private const int MaxFields = 256;

    public EventPlan(RecordSchema schema, EventTable table, Func<string, EnumDefinition?> findEnum)
    {
        Schema = schema;
        EventName = schema.Name;
        if (schema.Fields.Count > MaxFields)
        {
            throw new NotSupportedException($"{EventName} has {schema.Fields.Count} fields; the validator reads at most {MaxFields}.");
        }

        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        var enums = new Dictionary<string, EnumPlan>(StringComparer.Ordinal);
        Fields = new FieldPlan[schema.Fields.Count];
        var mandatory = new List<int>();
        foreach (var field in schema.Fields)
        {
            var plan = PlanField(field, enums, findEnum);
            Fields[field.Position] = plan;
            if (plan.Kind == FieldKind.EventName)
            {
                EventNameField = field.Position;
                continue;
            }
            byName.Add(field.Name, field.Position);
            if (!plan.Nullable) mandatory.Add(field.Position);
        }
        foreach (var attribute in table.Attributes)
        {
            foreach (var inputName in attribute.InputNames ?? [])
            {
                byName.Add(inputName, schema.GetField(attribute.Name)!.Position);
            }
        }
        FieldsByInputName = byName.GetAlternateLookup<ReadOnlySpan<char>>();
        MandatoryFields = [.. mandatory];
    }

    public string EventName { get; }
    public RecordSchema Schema { get; }
    public FieldPlan[] Fields { get; }

    /// <summary>Position of the <c>id</c>/<c>Event</c> field, or -1 when the table has none.</summary>
    public int EventNameField { get; } = -1;

    /// <summary>Positions of the non-nullable fields other than the event name, in schema order.</summary>
    public int[] MandatoryFields { get; }

    /// <summary>JSON key (attribute name, or one of its <c>inputNames</c>) to field position.</summary>
    public Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> FieldsByInputName { get; }

    public static bool IsEventNameAttribute(string name) => name is "id" or "Event";

    private static FieldPlan PlanField(AvroField field, Dictionary<string, EnumPlan> enums, Func<string, EnumDefinition?> findEnum)
    {
        var (type, nullable) = field.Schema is UnionSchema { Branches: [{ Type: AvroType.Null }, var branch] }
            ? (branch, true)
            : (field.Schema, false);
        FieldKind kind;
        EnumPlan? enumPlan = null;
        switch (type)
        {
            case PrimitiveSchema { Type: AvroType.String } when IsEventNameAttribute(field.Name):
                kind = FieldKind.EventName;
                break;
            case PrimitiveSchema { Type: AvroType.String }:
                kind = FieldKind.String;
                break;
            case PrimitiveSchema { Type: AvroType.Int }:
                kind = FieldKind.Int;
                break;
            case PrimitiveSchema { Type: AvroType.Long, LogicalType: "timestamp-micros" }:
                kind = FieldKind.TimestampMicros;
                break;
            case PrimitiveSchema { Type: AvroType.Long }:
                kind = FieldKind.Long;
                break;
            case EnumSchema enumSchema:
                kind = FieldKind.Enum;
                if (!enums.TryGetValue(enumSchema.FullName, out enumPlan))
                {
                    enumPlan = new EnumPlan(enumSchema, findEnum(enumSchema.Name));
                    enums.Add(enumSchema.FullName, enumPlan);
                }
                break;
            case MapSchema { Values: UnionSchema values } when IsKeyValueUnion(values):
                kind = FieldKind.KeyValueList;
                break;
            default:
                throw new NotSupportedException($"The validator cannot read field {field.Name} of type {field.Schema}.");
        }
        return new FieldPlan(field.Name, field.Position, kind, nullable, enumPlan);
    }

    private static bool IsKeyValueUnion(UnionSchema values) =>
        values.Branches.Select(b => b.Type).SequenceEqual([AvroType.Null, AvroType.Boolean, AvroType.Long, AvroType.Double, AvroType.String]);
}
