using System.Text.Json.Nodes;
using AgentStateProcessor.Avro;
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
    public void The_example_of_each_event_is_valid_and_encodes(string eventName)
    {
        var result = Validate.Json(EventExamples.Valid[eventName]);

        Assert.Equal(ValidationOutcome.Valid, result.Outcome);
        Assert.Equal(eventName, result.EventName);
        Assert.Null(result.Error);
        Assert.Empty(result.UnlistedAttributes);
        Assert.Equal(eventName, result.Record!.Schema.Name);
        Validate.AssertEncodesAndRoundTrips(result.Record);
    }

    [Theory]
    [MemberData(nameof(EventNames))]
    public void Every_attribute_of_each_event_lands_in_its_field(string eventName)
    {
        var table = Tables.Events.Single(e => e.Name == eventName);
        var schema = EventSchemaSet.LoadEmbedded().Find(eventName)!;
        var json = new JsonObject { [table.Attributes.Any(a => a.Name == "Event") ? "Event" : "id"] = eventName };
        foreach (var attribute in table.Attributes.Where(a => a.Name is not ("id" or "Event")))
        {
            json[attribute.Name] = SampleJson(schema.GetField(attribute.Name)!);
        }

        var record = Validate.ValidRecord(json.ToJsonString());

        foreach (var field in schema.Fields)
        {
            Assert.Equal(ExpectedValue(field, eventName), record[field.Position]);
        }
        Validate.AssertEncodesAndRoundTrips(record);
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

    private static JsonNode SampleJson(AvroField field) => Unwrap(field.Schema) switch
    {
        PrimitiveSchema { LogicalType: "timestamp-micros" } => JsonValue.Create(1795251600.25m),
        PrimitiveSchema { Type: AvroType.String } => JsonValue.Create("text-" + field.Name),
        PrimitiveSchema { Type: AvroType.Int } => JsonValue.Create(7),
        PrimitiveSchema { Type: AvroType.Long } => JsonValue.Create(8_000_000_000L),
        EnumSchema symbols => JsonValue.Create(symbols.Symbols[^1]),
        MapSchema => new JsonObject { ["z"] = 1, ["a"] = "x" },
        var other => throw new InvalidOperationException($"no sample for {other}"),
    };

    private static object? ExpectedValue(AvroField field, string eventName) => Unwrap(field.Schema) switch
    {
        _ when field.Name is "id" or "Event" => eventName,
        PrimitiveSchema { LogicalType: "timestamp-micros" } => 1_795_251_600_250_000L,
        PrimitiveSchema { Type: AvroType.String } => "text-" + field.Name,
        PrimitiveSchema { Type: AvroType.Int } => 7,
        PrimitiveSchema { Type: AvroType.Long } => 8_000_000_000L,
        EnumSchema symbols => new GenericEnum(symbols, symbols.Symbols[^1]),
        MapSchema => new SortedDictionary<string, object?>(StringComparer.Ordinal) { ["a"] = "x", ["z"] = 1L },
        var other => throw new InvalidOperationException($"no sample for {other}"),
    };

    private static AvroSchema Unwrap(AvroSchema schema) =>
        schema is UnionSchema { Branches: [_, var branch] } ? branch : schema;
}
