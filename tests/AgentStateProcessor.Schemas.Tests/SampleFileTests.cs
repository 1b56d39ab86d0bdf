using System.Text;
using System.Text.Json;

namespace AgentStateProcessor.Schemas.Tests;

/// <summary>samples/events.jsonl: each line validates as its <c>expect</c> annotation says, and the sample covers what it claims.</summary>
public sealed class SampleFileTests
{
    private static readonly string[] AgentStateEvents =
    [
        "EventAgentLogin", "EventAgentLogout", "EventAgentReady", "EventAgentNotReady", "EventDNOutOfService",
        "EventDNBackInService", "EventDNDOn", "EventDNDOff", "EventForwardSet", "EventForwardCancel",
        "EventOffHook", "EventOnHook", "EventMuteOn", "EventMuteOff",
    ];

    private sealed record SampleLine(int Number, byte[] Value, string Expect, bool Bare);

    private static readonly IReadOnlyList<SampleLine> Lines = ReadSample();

    [Fact]
    public void Every_line_validates_as_its_annotation_says()
    {
        foreach (var line in Lines)
        {
            var result = Validate.Validator.Validate(line.Value);
            var unlisted = result.UnlistedAttributes.Count > 0 ? " unlisted:" + string.Join(",", result.UnlistedAttributes) : "";
            var actual = result.Outcome switch
            {
                ValidationOutcome.Valid => "valid" + unlisted,
                ValidationOutcome.UnknownEvent => "unknown",
                _ => "invalid:" + result.Error!.Code,
            };
            Assert.True(line.Expect == actual, $"line {line.Number}: expected {line.Expect}, got {actual} ({result})");
        }
    }

    [Fact]
    public void The_sample_has_about_60_records_with_every_kind_of_line()
    {
        Assert.InRange(Lines.Count, 55, 70);
        Assert.InRange(Lines.Count(l => l.Expect.StartsWith("invalid:", StringComparison.Ordinal)), 5, 6);
        Assert.Equal(1, Lines.Count(l => l.Expect == "unknown"));
        Assert.InRange(Lines.Count(l => l.Bare), 2, 5);
    }

    [Fact]
    public void Every_agent_state_and_DN_event_appears_valid_at_least_twice()
    {
        var validNames = Lines
            .Select(l => Validate.Validator.Validate(l.Value))
            .Where(r => r.IsValid)
            .GroupBy(r => r.EventName!)
            .ToDictionary(g => g.Key, g => g.Count());

        Assert.All(AgentStateEvents, name => Assert.True(validNames.GetValueOrDefault(name) >= 2, $"{name}: {validNames.GetValueOrDefault(name)}"));
        Assert.True(validNames.Keys.Except(AgentStateEvents).Count() >= 5, "events of the other documents are mixed in");
        Assert.Equal(
            ["EventMessageWaitingOff", "EventMessageWaitingOn", "EventMonitoringNextCall", "EventQueueLogout"],
            validNames.Keys.Intersect(EventSchemaSet.LoadEmbedded().ExtensionEventNames).Order(StringComparer.Ordinal));
    }

    private static List<SampleLine> ReadSample()
    {
        var lines = new List<SampleLine>();
        var number = 0;
        foreach (var text in File.ReadLines(Path.Combine(Repository.SamplesDirectory, "events.jsonl")))
        {
            number++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.TryGetProperty("value_raw", out var raw))
            {
                lines.Add(new(number, Encoding.UTF8.GetBytes(raw.GetString()!), root.GetProperty("expect").GetString()!, Bare: false));
            }
            else if (root.TryGetProperty("value", out var value))
            {
                lines.Add(new(number, Encoding.UTF8.GetBytes(value.GetRawText()), root.GetProperty("expect").GetString()!, Bare: false));
            }
            else
            {
                lines.Add(new(number, Encoding.UTF8.GetBytes(text), "valid", Bare: true));
            }
        }
        return lines;
    }
}
