using System.Text;
using System.Text.Json.Nodes;
using AgentStateProcessor.Avro;

namespace AgentStateProcessor.Schemas.Tests;

/// <summary>The validator over the embedded schemas, and small helpers to build and inspect inputs.</summary>
internal static class Validate
{
    public static EventValidator Validator { get; } = new(EventSchemaSet.LoadEmbedded());

    public static ValidationResult Json(string json) => Validator.Validate(Encoding.UTF8.GetBytes(json));

    /// <summary>The example of <paramref name="eventName"/> with <paramref name="change"/> applied to its JSON object.</summary>
    public static string Example(string eventName, Action<JsonObject>? change = null)
    {
        var json = JsonNode.Parse(EventExamples.Valid[eventName])!.AsObject();
        change?.Invoke(json);
        return json.ToJsonString();
    }

    public static GenericRecord ValidRecord(string json)
    {
        var result = Json(json);
        Assert.True(result.IsValid, $"expected Valid, got {result} for {json}");
        return result.Record;
    }

    public static ValidationError InvalidError(string json)
    {
        var result = Json(json);
        Assert.True(result.Outcome == ValidationOutcome.Invalid, $"expected Invalid, got {result} for {json}");
        Assert.Null(result.Record);
        return result.Error!;
    }

    /// <summary>Encodes and decodes the record: what every valid result must survive.</summary>
    public static void AssertEncodesAndRoundTrips(GenericRecord record)
    {
        var bytes = AvroBinary.Encode(record.Schema, record);
        Assert.Equal(record, AvroBinary.Decode(record.Schema, bytes));
    }
}
