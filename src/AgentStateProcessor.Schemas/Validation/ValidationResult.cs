using System.Diagnostics.CodeAnalysis;

namespace AgentStateProcessor.Schemas;

public enum ValidationOutcome
{
    /// <summary>The event has a schema and the input satisfies it; <see cref="ValidationResult.Event"/> holds it.</summary>
    Valid,

    /// <summary>The JSON names an event no table describes (neither the reference documents nor the extensions): to be skipped, not an error.</summary>
    UnknownEvent,

    /// <summary>The value is not an event, or breaks its event's schema; <see cref="ValidationResult.Error"/> says how.</summary>
    Invalid,
}

/// <param name="Code">One of <see cref="ValidationErrorCodes"/>: stable, for metrics and dead-letter headers.</param>
/// <param name="Message">For people: names the event, the attribute and the problem.</param>
/// <param name="Attribute">The attribute at fault, when one is.</param>
public sealed record ValidationError(string Code, string Message, string? Attribute);

/// <summary>The stable, kebab-case codes of <see cref="ValidationError.Code"/>.</summary>
public static class ValidationErrorCodes
{
    /// <summary>Not UTF-8, not well-formed JSON (including nesting deeper than the reader allows), or trailing data.</summary>
    public const string MalformedJson = "malformed-json";

    /// <summary>Well-formed JSON whose top-level value is not an object.</summary>
    public const string NotAnObject = "not-an-object";

    /// <summary>Neither <c>id</c> nor <c>Event</c> is present.</summary>
    public const string MissingEventName = "missing-event-name";

    /// <summary><c>id</c> or <c>Event</c> is not a non-empty string.</summary>
    public const string BadEventName = "bad-event-name";

    /// <summary><c>id</c> and <c>Event</c> are both present and name different events.</summary>
    public const string ConflictingEventName = "conflicting-event-name";

    /// <summary>An attribute appears twice (also under two of its accepted names).</summary>
    public const string DuplicateAttribute = "duplicate-attribute";

    /// <summary>A mandatory attribute is absent (or null in a decoded Avro input).</summary>
    public const string MissingAttribute = "missing-attribute";

    /// <summary>A mandatory attribute is JSON null.</summary>
    public const string NullMandatory = "null-mandatory";

    /// <summary>An attribute's JSON type (or a decoded Avro input's type) cannot be read as its Avro type (an object for a string, a fraction for an int...).</summary>
    public const string WrongType = "wrong-type";

    /// <summary>A number that does not fit its Avro type (an int above 2^31-1, a double beyond range).</summary>
    public const string OutOfRange = "out-of-range";

    /// <summary>An enumeration attribute whose symbol or number is not one of the enumeration's.</summary>
    public const string BadEnumValue = "bad-enum-value";

    /// <summary>A <c>time</c> that is not epoch seconds, a timeinSecs/timeinuSecs object or an ISO-8601 string, or is out of range.</summary>
    public const string BadTimestamp = "bad-timestamp";

    /// <summary>A key-value list with the same key twice.</summary>
    public const string DuplicateKey = "duplicate-key";

    public static IReadOnlyList<string> All { get; } =
    [
        MalformedJson, NotAnObject, MissingEventName, BadEventName, ConflictingEventName, DuplicateAttribute,
        MissingAttribute, NullMandatory, WrongType, OutOfRange, BadEnumValue, BadTimestamp, DuplicateKey,
    ];
}

/// <summary>What <see cref="EventValidator"/> made of one JSON value or decoded Avro record.</summary>
public sealed class ValidationResult
{
    private ValidationResult(
        ValidationOutcome outcome,
        string? eventName,
        ValidatedEvent? validatedEvent,
        ValidationError? error,
        IReadOnlyList<string> unlistedAttributes)
    {
        Outcome = outcome;
        EventName = eventName;
        Event = validatedEvent;
        Error = error;
        UnlistedAttributes = unlistedAttributes;
    }

    public ValidationOutcome Outcome { get; }

    /// <summary>The event name, when the JSON gave one that could be read.</summary>
    public string? EventName { get; }

    /// <summary>For <see cref="ValidationOutcome.Valid"/>: the event, reduced to what the fold reads.</summary>
    public ValidatedEvent? Event { get; }

    /// <summary>For <see cref="ValidationOutcome.Invalid"/>: the first problem found.</summary>
    public ValidationError? Error { get; }

    /// <summary>
    /// Attributes present in the JSON that the event's table does not list, in input order. They are tolerated (real
    /// feeds carry more than the documents list) and left out of <see cref="Event"/>.
    /// </summary>
    public IReadOnlyList<string> UnlistedAttributes { get; }

    [MemberNotNullWhen(true, nameof(Event), nameof(EventName))]
    public bool IsValid => Outcome == ValidationOutcome.Valid;

    internal static ValidationResult Valid(ValidatedEvent validatedEvent, IReadOnlyList<string>? unlisted) =>
        new(ValidationOutcome.Valid, validatedEvent.Name, validatedEvent, null, unlisted ?? []);

    internal static ValidationResult Unknown(string eventName) =>
        new(ValidationOutcome.UnknownEvent, eventName, null, null, []);

    internal static ValidationResult Invalid(string? eventName, ValidationError error) =>
        new(ValidationOutcome.Invalid, eventName, null, error, []);

    public override string ToString() => Outcome switch
    {
        ValidationOutcome.Valid => $"Valid {EventName}",
        ValidationOutcome.UnknownEvent => $"UnknownEvent {EventName}",
        _ => $"Invalid {Error!.Code}: {Error.Message}",
    };
}
