using System.Text.Json.Nodes;
using Avro;
using AgentStateProcessor.Schemas.Tables;

namespace AgentStateProcessor.Schemas.Tests;

/// <summary>Table-driven over all 32 events: one valid example each, and invalid ones derived from every attribute.</summary>
public sealed class ValidatorEventTests
{
    private static readonly AttributeTableSet Tables = AttributeTableSet.LoadEmbedded();

    public static TheoryData<string> EventNames() => [.. Tables.Events.Select(e => e.Name)];

    public static TheoryData<string, string> MandatoryAttributes() =>
        Pairs(a => a.Mandatory);

    public static TheoryData<string, string> ListedAttributes() =>
        Pairs(_ => true);

    private static TheoryData<string, string> Pairs(Func<TableAttribute, bool> include)
    {
        var data = new TheoryData<string, string>();
        foreach (var e in Tables.Events)
        {
            foreach (var a in e.Attributes.Where(a => a.Name is not ("id" or "Event") && include(a)))
            {
                data.Add(e.Name, a.Name);
            }
        }
        return data;
    }

    [Fact]
    public void There_is_an_example_for_every_event_with_a_schema() =>
        Assert.Equal(EventSchemaSet.LoadEmbedded().EventNames.Order(), EventExamples.Valid.Keys.Order());

    [Theory]
    [MemberData(nameof(EventNames))]
    public void The_example_of_each_event_is_valid(string eventName)
    {
        var result = Validate.Json(EventExamples.Valid[eventName]);

        Assert.Equal(ValidationOutcome.Valid, result.Outcome);
        Assert.Equal(eventName, result.EventName);
        Assert.Null(result.Error);
        Assert.Empty(result.UnlistedAttributes);
        Assert.Equal(eventName, result.Event?.Name);
    }

    [Theory]
    [MemberData(nameof(EventNames))]
    public void Every_attribute_of_each_event_is_accepted_and_the_folds_land_in_the_event(string eventName)
    {
        var table = Tables.Events.Single(e => e.Name == eventName);
        var schema = EventSchemaSet.LoadEmbedded().Find(eventName)!;
        var json = new JsonObject { [table.Attributes.Any(a => a.Name == "Event") ? "Event" : "id"] = eventName };
        foreach (var attribute in table.Attributes.Where(a => a.Name is not ("id" or "Event")))
        {
            json[attribute.Name] = SampleJson(schema[attribute.Name]);
        }

        var validated = Validate.ValidEvent(json.ToJsonString());

        Assert.Equal(eventName, validated.Name);
        Assert.Equal(Expected(schema, "ThisDN"), validated.ThisDn);
        Assert.Equal(Expected(schema, "ThisQueue"), validated.ThisQueue);
        Assert.Equal(Expected(schema, "OtherDN"), validated.OtherDn);
        Assert.Equal(Expected(schema, "ConnID"), validated.ConnId);
        Assert.Equal(Expected(schema, "AgentID"), validated.AgentId);
        Assert.Equal(Expected(schema, "CustomerID"), validated.CustomerId);
        Assert.Equal(Expected(schema, "AgentWorkMode"), validated.AgentWorkMode);
        Assert.Equal(Expected(schema, "time"), validated.TimeMicros);
        Assert.Equal(schema.Contains("Reasons") || schema.Contains("Extensions") ? "r" : null, validated.ReasonCode);
    }

    [Theory]
    [MemberData(nameof(MandatoryAttributes))]
    public void An_event_without_a_mandatory_attribute_is_invalid(string eventName, string attribute)
    {
        var error = Validate.InvalidError(Validate.Example(eventName, json =>
        {
            json.Remove(attribute);
            json.Remove(AlternativeInputName(eventName, attribute));
        }));

        Assert.Equal(ValidationErrorCodes.MissingAttribute, error.Code);
        Assert.Equal(attribute, error.Attribute);
        Assert.Equal($"{eventName}: mandatory attribute '{attribute}' is missing", error.Message);
    }

    [Theory]
    [MemberData(nameof(MandatoryAttributes))]
    public void A_mandatory_attribute_set_to_null_is_invalid(string eventName, string attribute)
    {
        var error = Validate.InvalidError(Validate.Example(eventName, json =>
        {
            json.Remove(AlternativeInputName(eventName, attribute));
            json[attribute] = null;
        }));

        Assert.Equal(ValidationErrorCodes.NullMandatory, error.Code);
        Assert.Equal(attribute, error.Attribute);
    }

    [Theory]
    [MemberData(nameof(ListedAttributes))]
    public void An_attribute_given_a_boolean_is_the_wrong_type(string eventName, string attribute)
    {
        var error = Validate.InvalidError(Validate.Example(eventName, json =>
        {
            json.Remove(AlternativeInputName(eventName, attribute));
            json[attribute] = true;
        }));

        Assert.Equal(ValidationErrorCodes.WrongType, error.Code);
        Assert.Equal(attribute, error.Attribute);
        Assert.StartsWith($"{eventName}: attribute '{attribute}' must be", error.Message);
    }

    /// <summary>The example of EventRegistered uses the plain T-Library names for its two mapped attributes.</summary>
    private static string AlternativeInputName(string eventName, string attribute) =>
        Tables.Events.Single(e => e.Name == eventName).Attributes.Single(a => a.Name == attribute).InputNames?.Last() ?? attribute;

    private static JsonNode SampleJson(Field field) => Unwrap(field.Schema) switch
    {
        LogicalSchema { LogicalTypeName: "timestamp-micros" } => JsonValue.Create(1795251600.25m),
        PrimitiveSchema { Tag: Schema.Type.String } => JsonValue.Create("text-" + field.Name),
        PrimitiveSchema { Tag: Schema.Type.Int } => JsonValue.Create(7),
        PrimitiveSchema { Tag: Schema.Type.Long } => JsonValue.Create(8_000_000_000L),
        EnumSchema symbols => JsonValue.Create(symbols.Symbols[^1]),
        MapSchema => new JsonObject { ["z"] = 1, ["ReasonCode"] = "r", ["a"] = "x" },
        var other => throw new InvalidOperationException($"no sample for {other}"),
    };

    /// <summary>What the event keeps of the sample of <paramref name="name"/>; null where the event has no such attribute.</summary>
    private static object? Expected(RecordSchema schema, string name) =>
        !schema.TryGetField(name, out var field) ? null : Unwrap(field.Schema) switch
        {
            LogicalSchema { LogicalTypeName: "timestamp-micros" } => 1_795_251_600_250_000L,
            PrimitiveSchema { Tag: Schema.Type.String } => "text-" + field.Name,
            EnumSchema symbols => symbols.Symbols[^1],
            var other => throw new InvalidOperationException($"{name} is not kept as {other}"),
        };

    private static Schema Unwrap(Schema schema) =>
        schema is UnionSchema { Count: 2 } union ? union.Schemas[1] : schema;
}
