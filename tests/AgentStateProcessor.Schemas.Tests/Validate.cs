using System.Text;
using System.Text.Json.Nodes;

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

    public static ValidatedEvent ValidEvent(string json)
    {
        var result = Json(json);
        Assert.True(result.IsValid, $"expected Valid, got {result} for {json}");
        return result.Event.Value;
    }

    public static ValidationError InvalidError(string json)
    {
        var result = Json(json);
        Assert.True(result.Outcome == ValidationOutcome.Invalid, $"expected Invalid, got {result} for {json}");
        Assert.Null(result.Event);
        return result.Error!;
    }
}
