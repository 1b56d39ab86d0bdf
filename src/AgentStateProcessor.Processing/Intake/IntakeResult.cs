using AgentStateProcessor.Domain.Events;

namespace AgentStateProcessor.Processing.Intake;

public enum IntakeOutcome
{
    /// <summary>A valid event, ready to fold.</summary>
    Event,
    /// <summary>
    /// Known not to concern us: counted, not an error. Its code is <see cref="IntakeCodes.UnknownEvent"/> for an
    /// event no table describes, or the event's own name for a valid extension event without a state rule.
    /// </summary>
    Skipped,
    /// <summary>Invalid: goes to the dead-letter topic with its code and reason.</summary>
    DeadLetter,
}

/// <summary>What became of one input record before folding.</summary>
public sealed record IntakeResult(
    IntakeOutcome Outcome,
    VoiceEvent? Event,
    string? Code,
    string? Reason,
    int UnlistedAttributeCount)
{
    public static IntakeResult Valid(VoiceEvent e, int unlistedAttributeCount) => new(IntakeOutcome.Event, e, null, null, unlistedAttributeCount);
    public static IntakeResult Skip(string code, string reason) => new(IntakeOutcome.Skipped, null, code, reason, 0);
    public static IntakeResult Dead(string code, string reason) => new(IntakeOutcome.DeadLetter, null, code, reason, 0);
}

/// <summary>Codes of intake results that are not schema validation errors (those are in ValidationErrorCodes).</summary>
public static class IntakeCodes
{
    public const string UnknownEvent = "unknown-event";
    public const string NoTenant = "no-tenant";
    public const string NoAgentKey = "no-agent-key";
    public const string TooLarge = "too-large";
    public const string EmptyValue = "empty-value";
    public const string UnknownSchemaId = "unknown-schema-id";
    public const string AvroDecodeFailed = "avro-decode-failed";
    public const string NotAnEventRecord = "not-an-event-record";
}
