using System.Text;
using System.Text.Json.Nodes;

namespace AgentStateProcessor.Schemas.Tests;

/// <summary>
/// Seeded random damage to the valid examples of all 32 events, at the byte level and at the field level. Whatever
/// the input, the validator returns a classified result and never throws, and every Valid result carries its event.
/// </summary>
public sealed class ValidatorMutationTests
{
    private const int Seed = 20261121;
    private const int Mutations = 20_000;

    private static readonly byte[][] Examples =
        [.. EventExamples.Valid.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => Encoding.UTF8.GetBytes(e.Value))];

    [Fact]
    public void Damaged_events_are_always_classified_and_valid_ones_carry_their_event()
    {
        var random = new Random(Seed);
        var outcomes = new Dictionary<ValidationOutcome, int>();
        var codes = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Mutations; i++)
        {
            var example = Examples[i % Examples.Length];
            var input = i % 2 == 0 ? MutateBytes(random, example) : MutateFields(random, example);

            var result = ValidateOrReport(input);

            outcomes[result.Outcome] = outcomes.GetValueOrDefault(result.Outcome) + 1;
            switch (result.Outcome)
            {
                case ValidationOutcome.Valid:
                    Assert.NotNull(result.EventName);
                    Assert.Equal(result.EventName, result.Event?.Name);
                    break;
                case ValidationOutcome.UnknownEvent:
                    Assert.False(string.IsNullOrEmpty(result.EventName));
                    break;
                case ValidationOutcome.Invalid:
                    Assert.Contains(result.Error!.Code, ValidationErrorCodes.All);
                    Assert.False(string.IsNullOrWhiteSpace(result.Error.Message));
                    codes.Add(result.Error.Code);
                    break;
                default:
                    Assert.Fail($"outcome {result.Outcome} is not one of the three");
                    break;
            }
        }

        // The mutations must actually reach every outcome and most failure kinds, or this test proves little.
        Assert.All(Enum.GetValues<ValidationOutcome>(), outcome => Assert.True(outcomes.GetValueOrDefault(outcome) > 100, $"{outcome}: {outcomes.GetValueOrDefault(outcome)}"));
        Assert.Superset(
            new HashSet<string> { "malformed-json", "not-an-object", "missing-event-name", "bad-event-name", "duplicate-attribute", "missing-attribute", "null-mandatory", "wrong-type", "out-of-range", "bad-enum-value", "bad-timestamp" },
            codes);
    }

    private static ValidationResult ValidateOrReport(byte[] input)
    {
        try
        {
            return Validate.Validator.Validate(input);
        }
        catch (Exception e)
        {
            Assert.Fail($"Validate threw {e} for input {Convert.ToBase64String(input)}");
            throw;
        }
    }

    private static byte[] MutateBytes(Random random, byte[] example)
    {
        var bytes = new List<byte>(example);
        var operations = random.Next(1, 4);
        for (var n = 0; n < operations && bytes.Count > 0; n++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                case 2:
                    var structural = "{}[]\",:\\0-e."u8;
                    bytes.Insert(at, structural[random.Next(structural.Length)]);
                    break;
                case 3:
                    bytes.RemoveAt(at);
                    break;
                case 4:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                default:
                    var length = random.Next(1, Math.Min(16, bytes.Count - at) + 1);
                    bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(at, length));
                    break;
            }
        }
        return [.. bytes];
    }

    private static readonly string[] Garbage =
    [
        "true", "false", "null", "0", "-1", "1.5", "1e308", "1e999", "-1e999", "123456789012345678901234567890",
        "9223372036854775808", "-9223372036854775809", "2147483648", "\"\"", "\"x\"", "\"AgentBogus\"", "\"2026-13-45T99:00:00Z\"",
        "\"\\ud800\"", "\"\\u0000\"", "[]", "{}", "[1,\"a\",{}]", "{\"k\":{\"k\":[null]}}", "{\"timeinSecs\":1}",
        "{\"timeinSecs\":-99999999999999}", "\"17\"", "\"AgentAuxWork\"", "4", "99", "{\"a\":1,\"a\":2}",
    ];

    private static byte[] MutateFields(Random random, byte[] example)
    {
        var json = JsonNode.Parse(example)!.AsObject();
        var names = json.Select(p => p.Key).ToList();
        var name = names[random.Next(names.Count)];
        string text;
        switch (random.Next(9))
        {
            case 0:
                json.Remove(name);
                text = json.ToJsonString();
                break;
            case 1:
            case 2:
                text = Replace(json, name, Garbage[random.Next(Garbage.Length)]);
                break;
            case 3:
                var depth = random.Next(1, 90);
                text = Replace(json, name, new string('[', depth) + new string(']', depth));
                break;
            case 4:
                var levels = random.Next(1, 90);
                text = Replace(json, name, string.Concat(Enumerable.Repeat("{\"k\":", levels)) + "1" + new string('}', levels));
                break;
            case 5:
                text = Replace(json, name, "\"" + new string('x', random.Next(1, 20_000)) + "\"");
                break;
            case 6:
                // The same attribute again, or an attribute no table lists.
                text = json.ToJsonString().Insert(1, random.Next(2) == 0
                    ? $"\"{name}\":{json[name]?.ToJsonString() ?? "null"},"
                    : $"\"Unlisted{random.Next(100)}\":{Garbage[random.Next(Garbage.Length)]},");
                break;
            case 7:
                json[name is "id" or "Event" ? name : "id"] = random.Next(3) switch
                {
                    0 => "EventPartyInfo",
                    1 => "EventAttachedDataChanged",
                    _ => EventExamples.Valid.Keys.ElementAt(random.Next(EventExamples.Valid.Count)),
                };
                text = json.ToJsonString();
                break;
            default:
                text = Replace(json, name, random.Next(2) == 0 ? "{\"Event\":\"EventAgentLogin\"}" : Garbage[random.Next(Garbage.Length)]);
                text = text.Replace("\"id\"", "\"Event\"");
                break;
        }
        return Encoding.UTF8.GetBytes(text);
    }

    /// <summary>The object's JSON with <paramref name="name"/>'s value replaced by raw JSON text (which may be malformed).</summary>
    private static string Replace(JsonObject json, string name, string rawValue)
    {
        const string Marker = "\u0001marker\u0001";
        json[name] = Marker;
        return json.ToJsonString().Replace("\"\\u0001marker\\u0001\"", rawValue);
    }
}
