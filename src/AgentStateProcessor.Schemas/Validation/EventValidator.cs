using System.Text.Json;
using System.Text.Unicode;
using Avro.Generic;
using AgentStateProcessor.Schemas.Validation;
using static AgentStateProcessor.Schemas.ValidationErrorCodes;

namespace AgentStateProcessor.Schemas;

/// <summary>
/// Checks one event against its event's schema and gives the <see cref="ValidatedEvent"/> the fold reads. JSON is
/// read in place, and every listed attribute is checked though only the fold's are kept. Accepts the input variations of
/// schemas/README.md: the event name under <c>id</c> or <c>Event</c>; <c>time</c> as epoch seconds, as
/// <c>{"timeinSecs":S,"timeinuSecs":US}</c> or as ISO-8601; enumerations as symbol or number; key-value lists as
/// objects with nested values. A record decoded from Avro input under its writer's schema is held to the same plan.
/// Thread-safe; never throws on any input.
/// </summary>
public sealed class EventValidator
{
    /// <summary>Deeper input is malformed for us: no event nests near this, and it bounds the reader's work.</summary>
    private const int MaxDepth = 64;

    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        MaxDepth = MaxDepth,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    private readonly Dictionary<string, EventPlan>.AlternateLookup<ReadOnlySpan<char>> _plans;

    public EventValidator(EventSchemaSet schemas)
    {
        ArgumentNullException.ThrowIfNull(schemas);
        var plans = new Dictionary<string, EventPlan>(StringComparer.Ordinal);
        foreach (var table in schemas.Tables.Events)
        {
            plans.Add(table.Name, new EventPlan(schemas.Get(table.Name), table, schemas.Tables.FindEnum));
        }
        _plans = plans.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public ValidationResult Validate(ReadOnlySpan<byte> utf8Json)
    {
        // Some producers write a byte order mark; Utf8JsonReader would reject it as the start of a value.
        if (utf8Json.StartsWith("\uFEFF"u8))
        {
            utf8Json = utf8Json[3..];
        }
        if (!Utf8.IsValid(utf8Json))
        {
            return Invalid(null, MalformedJson, "value is not valid UTF-8 text");
        }
        try
        {
            var head = ReadHead(utf8Json);
            if (head.Failure is not null) return head.Failure;
            return head.Plan is null
                ? ValidationResult.Unknown(head.UnknownName!)
                : ReadRecord(utf8Json, head.Plan);
        }
        catch (JsonException e)
        {
            // Utf8JsonReader reports malformed JSON (and nesting beyond MaxDepth) only by throwing JsonException.
            return Invalid(null, MalformedJson, $"value is not well-formed JSON: {e.Message}");
        }
    }

    /// <summary>What the first pass found: a failure, the plan of a known event, or the name of an unknown one.</summary>
    private readonly record struct Head(ValidationResult? Failure, EventPlan? Plan, string? UnknownName);

    /// <summary>
    /// First pass: walks the whole value (so malformed JSON is found before anything else) and reads the event name,
    /// which may come after the attributes it decides how to read.
    /// </summary>
    private Head ReadHead(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return new(Invalid(null, NotAnObject, $"value is a JSON {JsonText.Describe(reader.TokenType)}, not an object"), null, null);
        }

        ValidationResult? failure = null;
        EventPlan? plan = null;
        string? unknownName = null;
        string? nameKey = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.ValueTextEquals("id"u8) ? "id" : reader.ValueTextEquals("Event"u8) ? "Event" : null;
            reader.Read();
            if (key is null || failure is not null)
            {
                reader.Skip();
                continue;
            }
            if (reader.TokenType != JsonTokenType.String || reader.ValueSpan.IsEmpty)
            {
                failure = Invalid(null, BadEventName, $"'{key}' must be a non-empty string naming the event, not {DescribeValue(ref reader)}", key);
                reader.Skip();
                continue;
            }
            if (!JsonText.TryLookup(ref reader, _plans, out var found, out var isKnown))
            {
                failure = Invalid(null, BadEventName, $"'{key}' is not valid text (an unpaired surrogate escape)", key);
                continue;
            }
            if (nameKey is null)
            {
                nameKey = key;
                plan = found;
                if (!isKnown) JsonText.TryGetString(ref reader, out unknownName);
                continue;
            }
            if (!SameName(ref reader, plan, isKnown ? found : null, unknownName))
            {
                JsonText.TryGetString(ref reader, out var other);
                failure = Invalid(plan?.EventName ?? unknownName, ConflictingEventName,
                    $"'{nameKey}' names {plan?.EventName ?? unknownName} but '{key}' names {other}", key);
            }
        }

        // The reader throws on anything but whitespace after the object; reading to the end makes it look.
        while (reader.Read())
        {
        }

        if (failure is not null) return new(failure, null, null);
        if (nameKey is null)
        {
            return new(Invalid(null, MissingEventName, "value has neither 'id' nor 'Event' naming the event"), null, null);
        }
        return new(null, plan, unknownName);
    }

    private static bool SameName(ref Utf8JsonReader reader, EventPlan? firstPlan, EventPlan? secondPlan, string? firstUnknownName)
    {
        if (firstPlan is not null || secondPlan is not null) return ReferenceEquals(firstPlan, secondPlan);
        return JsonText.TryGetString(ref reader, out var second) && second == firstUnknownName;
    }

    /// <summary>Second pass, for a known event: every attribute checked, the fold's kept, then the checks for what is missing.</summary>
    private static ValidationResult ReadRecord(ReadOnlySpan<byte> json, EventPlan plan)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        reader.Read();
        var values = new FoldValues();
        Span<bool> seen = stackalloc bool[plan.Fields.Length];
        List<string>? unlisted = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8) || reader.ValueTextEquals("Event"u8))
            {
                reader.Read();
                reader.Skip();
                continue;
            }
            if (!JsonText.TryLookup(ref reader, plan.FieldsByInputName, out var position, out var listed))
            {
                return Invalid(plan.EventName, MalformedJson, $"{plan.EventName}: an attribute name is not valid text (an unpaired surrogate escape)");
            }
            if (!listed)
            {
                JsonText.TryGetString(ref reader, out var name);
                (unlisted ??= []).Add(name);
                reader.Read();
                reader.Skip();
                continue;
            }

            var field = plan.Fields[position];
            if (seen[position])
            {
                return Invalid(plan.EventName, DuplicateAttribute, $"{plan.EventName}: attribute '{field.Name}' appears more than once", field.Name);
            }
            seen[position] = true;
            reader.Read();
            if (!FieldReader.TryRead(ref reader, json, field, ref values, out var problem))
            {
                return Invalid(plan.EventName, problem.Code, $"{plan.EventName}: attribute '{field.Name}' {problem.Detail}", field.Name);
            }
        }

        foreach (var position in plan.MandatoryFields)
        {
            if (!seen[position])
            {
                var name = plan.Fields[position].Name;
                return Invalid(plan.EventName, MissingAttribute, $"{plan.EventName}: mandatory attribute '{name}' is missing", name);
            }
        }
        return ValidationResult.Valid(values.ToEvent(plan.EventName), unlisted);
    }

    /// <summary>
    /// A record decoded from Avro input under its writer's schema, which is the producer's and not ours: it is an
    /// event when its record name is one and its fields, matched by name, satisfy the event's table (mandatory ones
    /// present and not null, types as ours, enum symbols ours). Fields our table does not list are tolerated.
    /// </summary>
    public ValidationResult Validate(GenericRecord written)
    {
        ArgumentNullException.ThrowIfNull(written);
        var writerSchema = written.Schema;
        if (!_plans.Dictionary.TryGetValue(writerSchema.Name, out var plan)) return ValidationResult.Unknown(writerSchema.Name);

        var values = new FoldValues();
        foreach (var field in plan.Fields)
        {
            var value = writerSchema.TryGetField(field.Name, out var writerField) ? written.GetValue(writerField.Pos) : null;
            if (value is null)
            {
                if (field.Nullable) continue;
                return Invalid(plan.EventName, MissingAttribute, $"{plan.EventName}: mandatory attribute '{field.Name}' is missing", field.Name);
            }
            if (!AvroValues.TryRead(value, field, ref values, out var expected))
            {
                return Invalid(plan.EventName, WrongType,
                    $"{plan.EventName}: attribute '{field.Name}' must be {expected}, not {AvroValues.Describe(value)}", field.Name);
            }
        }
        List<string>? unlisted = null;
        foreach (var field in writerSchema.Fields)
        {
            if (!plan.FieldsByName.ContainsKey(field.Name)) (unlisted ??= []).Add(field.Name);
        }
        return ValidationResult.Valid(values.ToEvent(plan.EventName), unlisted);
    }

    private static string DescribeValue(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String ? "an empty string" : "a JSON " + JsonText.Describe(reader.TokenType);

    private static ValidationResult Invalid(string? eventName, string code, string message, string? attribute = null) =>
        ValidationResult.Invalid(eventName, new ValidationError(code, message, attribute));
}
