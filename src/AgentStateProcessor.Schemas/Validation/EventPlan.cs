using Avro;
using AgentStateProcessor.Schemas.Tables;

namespace AgentStateProcessor.Schemas.Validation;

internal enum FieldKind
{
    /// <summary>The event-name field (<c>id</c> or <c>Event</c>): its value is the event name the input gave.</summary>
    EventName,
    String,
    Int,
    Long,
    TimestampMicros,
    Enum,
    KeyValueList,
}

/// <summary>Which member of <see cref="ValidatedEvent"/> a field fills; most fields are checked and then dropped.</summary>
internal enum FoldAttribute
{
    None,
    ThisDn,
    ThisQueue,
    OtherDn,
    ConnId,
    AgentId,
    CustomerId,
    AgentWorkMode,
    Time,
    Reasons,
    Extensions,
}

/// <summary>How to read one field of an event: worked out once per schema so that validation only looks things up.</summary>
internal sealed class FieldPlan(string name, int position, FieldKind kind, bool nullable, EnumPlan? enumPlan, FoldAttribute foldAttribute)
{
    public string Name { get; } = name;
    public int Position { get; } = position;
    public FieldKind Kind { get; } = kind;
    public bool Nullable { get; } = nullable;
    public EnumPlan? Enum { get; } = enumPlan;
    public FoldAttribute FoldAttribute { get; } = foldAttribute;
}

/// <summary>An enumeration's symbols and T-Library numbers, each mapped to the schema's own symbol string.</summary>
internal sealed class EnumPlan
{
    public EnumPlan(EnumSchema schema, EnumDefinition? definition)
    {
        Name = schema.Name;
        var bySymbol = new Dictionary<string, string>(StringComparer.Ordinal);
        var byValue = new Dictionary<long, string>();
        for (var index = 0; index < schema.Symbols.Count; index++)
        {
            var symbol = schema.Symbols[index];
            bySymbol.Add(symbol, symbol);
            // Without a table entry the position is the number, as in a C enum without explicit values.
            var number = definition?.Symbols.FirstOrDefault(s => s.Symbol == symbol)?.Value ?? index;
            byValue.Add(number, symbol);
        }
        BySymbol = bySymbol.GetAlternateLookup<ReadOnlySpan<char>>();
        ByValue = byValue;
    }

    public string Name { get; }
    public Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> BySymbol { get; }
    public IReadOnlyDictionary<long, string> ByValue { get; }
}

/// <summary>Everything the validator needs to read one event: its fields, the input keys they answer to, what the fold keeps.</summary>
internal sealed class EventPlan
{
    private const int MaxFields = 256;

    public EventPlan(RecordSchema schema, EventTable table, Func<string, EnumDefinition?> findEnum)
    {
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
            Fields[field.Pos] = plan;
            byName.Add(field.Name, field.Pos);
            if (plan.Kind == FieldKind.EventName)
            {
                EventNameField = field.Pos;
                continue;
            }
            if (!plan.Nullable) mandatory.Add(field.Pos);
        }
        FieldsByName = byName;
        var byInputName = new Dictionary<string, int>(byName, StringComparer.Ordinal);
        if (EventNameField >= 0) byInputName.Remove(Fields[EventNameField].Name);
        foreach (var attribute in table.Attributes)
        {
            foreach (var inputName in attribute.InputNames ?? [])
            {
                byInputName.Add(inputName, byName[attribute.Name]);
            }
        }
        FieldsByInputName = byInputName.GetAlternateLookup<ReadOnlySpan<char>>();
        MandatoryFields = [.. mandatory];
    }

    public string EventName { get; }
    public FieldPlan[] Fields { get; }

    /// <summary>Position of the <c>id</c>/<c>Event</c> field, or -1 when the table has none.</summary>
    public int EventNameField { get; } = -1;

    /// <summary>Positions of the non-nullable fields other than the event name, in schema order.</summary>
    public int[] MandatoryFields { get; }

    /// <summary>Field name to position, the event-name field included (how a decoded Avro record is matched).</summary>
    public IReadOnlyDictionary<string, int> FieldsByName { get; }

    /// <summary>JSON key (attribute name, or one of its <c>inputNames</c>) to field position; the event name is read apart.</summary>
    public Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> FieldsByInputName { get; }

    public static bool IsEventNameAttribute(string name) => name is "id" or "Event";

    private static FieldPlan PlanField(Field field, Dictionary<string, EnumPlan> enums, Func<string, EnumDefinition?> findEnum)
    {
        var (type, nullable) = field.Schema is UnionSchema { Count: 2 } union && union.Schemas[0].Tag == Schema.Type.Null
            ? (union.Schemas[1], true)
            : (field.Schema, false);
        FieldKind kind;
        EnumPlan? enumPlan = null;
        switch (type)
        {
            case PrimitiveSchema { Tag: Schema.Type.String } when IsEventNameAttribute(field.Name):
                kind = FieldKind.EventName;
                break;
            case PrimitiveSchema { Tag: Schema.Type.String }:
                kind = FieldKind.String;
                break;
            case PrimitiveSchema { Tag: Schema.Type.Int }:
                kind = FieldKind.Int;
                break;
            case LogicalSchema { LogicalTypeName: "timestamp-micros", BaseSchema.Tag: Schema.Type.Long }:
                kind = FieldKind.TimestampMicros;
                break;
            case PrimitiveSchema { Tag: Schema.Type.Long }:
                kind = FieldKind.Long;
                break;
            case EnumSchema enumSchema:
                kind = FieldKind.Enum;
                if (!enums.TryGetValue(enumSchema.Fullname, out enumPlan))
                {
                    enumPlan = new EnumPlan(enumSchema, findEnum(enumSchema.Name));
                    enums.Add(enumSchema.Fullname, enumPlan);
                }
                break;
            case MapSchema { ValueSchema: UnionSchema values } when IsKeyValueUnion(values):
                kind = FieldKind.KeyValueList;
                break;
            default:
                throw new NotSupportedException($"The validator cannot read field {field.Name} of type {field.Schema}.");
        }
        return new FieldPlan(field.Name, field.Pos, kind, nullable, enumPlan, FoldAttributeOf(field.Name, kind));
    }

    /// <summary>The attributes the fold reads, by the name the tables give them, where their type is the expected one.</summary>
    private static FoldAttribute FoldAttributeOf(string name, FieldKind kind) => (name, kind) switch
    {
        ("ThisDN", FieldKind.String) => FoldAttribute.ThisDn,
        ("ThisQueue", FieldKind.String) => FoldAttribute.ThisQueue,
        ("OtherDN", FieldKind.String) => FoldAttribute.OtherDn,
        ("ConnID", FieldKind.String) => FoldAttribute.ConnId,
        ("AgentID", FieldKind.String) => FoldAttribute.AgentId,
        ("CustomerID", FieldKind.String) => FoldAttribute.CustomerId,
        ("AgentWorkMode", FieldKind.Enum) => FoldAttribute.AgentWorkMode,
        ("time", FieldKind.TimestampMicros) => FoldAttribute.Time,
        ("Reasons", FieldKind.KeyValueList) => FoldAttribute.Reasons,
        ("Extensions", FieldKind.KeyValueList) => FoldAttribute.Extensions,
        _ => FoldAttribute.None,
    };

    private static bool IsKeyValueUnion(UnionSchema values) =>
        values.Schemas.Select(b => b.Tag).SequenceEqual([Schema.Type.Null, Schema.Type.Boolean, Schema.Type.Long, Schema.Type.Double, Schema.Type.String]);
}
