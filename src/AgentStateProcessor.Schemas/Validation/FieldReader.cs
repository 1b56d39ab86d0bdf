using System.Text;
using System.Text.Json;
using static AgentStateProcessor.Schemas.ValidationErrorCodes;

namespace AgentStateProcessor.Schemas.Validation;

/// <summary>A problem with one attribute's value: a code and the words that follow "attribute 'X'" in the message.</summary>
internal readonly record struct FieldProblem(string Code, string Detail);

/// <summary>
/// Reads the JSON value under the reader as the Avro value of one field. Never throws on input the reader has
/// already walked once (the validator's first pass): every failure is a <see cref="FieldProblem"/>.
/// </summary>
internal static class FieldReader
{
    public static bool TryRead(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, FieldPlan field, out object? value, out FieldProblem problem)
    {
        value = null;
        problem = default;
        if (reader.TokenType == JsonTokenType.Null)
        {
            if (field.Nullable) return true;
            problem = new(NullMandatory, "is mandatory and must not be null");
            return false;
        }
        return field.Kind switch
        {
            FieldKind.String => TryReadString(ref reader, out value, out problem),
            FieldKind.Int => TryReadInt(ref reader, out value, out problem),
            FieldKind.Long => TryReadLong(ref reader, out value, out problem),
            FieldKind.TimestampMicros => TryReadTime(ref reader, out value, out problem),
            FieldKind.Enum => TryReadEnum(ref reader, field.Enum!, out value, out problem),
            FieldKind.KeyValueList => TryReadKeyValueList(ref reader, json, out value, out problem),
            _ => throw new InvalidOperationException($"Field kind {field.Kind} is not read from the JSON value."),
        };
    }

    /// <summary>Strings; a JSON number is accepted too and kept as its JSON text (feeds write DNs and IDs either way).</summary>
    private static bool TryReadString(ref Utf8JsonReader reader, out object? value, out FieldProblem problem)
    {
        problem = default;
        value = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.String when JsonText.TryGetString(ref reader, out var text):
                value = text;
                return true;
            case JsonTokenType.String:
                problem = UndecodableString;
                return false;
            default:
                problem = new(WrongType, $"must be a string, not a JSON {JsonText.Describe(reader.TokenType)}");
                return false;
        }
    }

    /// <summary>Integers as JSON numbers; a quoted number is a wrong type, as the schema says.</summary>
    private static bool TryReadInt(ref Utf8JsonReader reader, out object? value, out FieldProblem problem)
    {
        value = null;
        if (TryReadInteger(ref reader, "an int", out var number, out problem))
        {
            if (number is >= int.MinValue and <= int.MaxValue)
            {
                value = (int)number;
                return true;
            }
            problem = new(OutOfRange, $"is {number}, outside the range of an int");
        }
        return false;
    }

    private static bool TryReadLong(ref Utf8JsonReader reader, out object? value, out FieldProblem problem)
    {
        var ok = TryReadInteger(ref reader, "a long", out var number, out problem);
        value = ok ? number : null;
        return ok;
    }

    private static bool TryReadInteger(ref Utf8JsonReader reader, string typeName, out long number, out FieldProblem problem)
    {
        problem = default;
        switch (reader.TokenType)
        {
            case JsonTokenType.Number when reader.TryGetInt64(out number):
                return true;
            case JsonTokenType.Number:
                number = 0;
                problem = IsIntegerLiteral(reader.ValueSpan)
                    ? new(OutOfRange, $"is {Quote(reader.ValueSpan)}, outside the range of {typeName}")
                    : new(WrongType, $"must be an integer ({typeName}), not {Quote(reader.ValueSpan)}");
                return false;
            case JsonTokenType.String:
                number = 0;
                problem = new(WrongType, $"must be an integer ({typeName}); the string \"{Quote(reader.ValueSpan)}\" is not one");
                return false;
            default:
                number = 0;
                problem = new(WrongType, $"must be an integer ({typeName}), not a JSON {JsonText.Describe(reader.TokenType)}");
                return false;
        }
    }

    private static bool TryReadTime(ref Utf8JsonReader reader, out object? value, out FieldProblem problem)
    {
        value = null;
        problem = default;
        long micros;
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                if (!reader.TryGetDecimal(out var seconds) || !TimeValues.TryFromEpochSeconds(seconds, out micros))
                {
                    problem = new(BadTimestamp, $"is {Quote(reader.ValueSpan)} epoch seconds, outside the years 0001 to 9999");
                    return false;
                }
                break;
            case JsonTokenType.String:
                if (!JsonText.TryGetString(ref reader, out var text) || !TimeValues.TryFromIso8601(text, out micros))
                {
                    problem = new(BadTimestamp, $"is the string \"{Quote(reader.ValueSpan)}\", which is not an ISO-8601 date and time");
                    return false;
                }
                break;
            case JsonTokenType.StartObject:
                if (!TryReadTimeStamp(ref reader, out micros, out problem)) return false;
                break;
            default:
                problem = new(WrongType, $"must be epoch seconds, an ISO-8601 string or {{\"timeinSecs\":S,\"timeinuSecs\":US}}, not a JSON {JsonText.Describe(reader.TokenType)}");
                return false;
        }
        value = micros;
        return true;
    }

    /// <summary>T-Library's TTimeStamp as an object: timeinSecs (required) and timeinuSecs (0 to 999,999; default 0).</summary>
    private static bool TryReadTimeStamp(ref Utf8JsonReader reader, out long micros, out FieldProblem problem)
    {
        micros = 0;
        long? seconds = null;
        long? microseconds = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isSeconds = reader.ValueTextEquals("timeinSecs"u8);
            var isMicros = !isSeconds && reader.ValueTextEquals("timeinuSecs"u8);
            if (!isSeconds && !isMicros)
            {
                problem = new(BadTimestamp, "is an object with a key other than timeinSecs and timeinuSecs");
                return false;
            }
            reader.Read();
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var number)
                || (isSeconds ? seconds : microseconds) is not null)
            {
                problem = new(BadTimestamp, $"has a {(isSeconds ? "timeinSecs" : "timeinuSecs")} that is repeated or not an integer");
                return false;
            }
            if (isSeconds) seconds = number;
            else microseconds = number;
        }
        if (seconds is null || !TimeValues.TryFromSecondsAndMicros(seconds.Value, microseconds ?? 0, out micros))
        {
            problem = new(BadTimestamp, seconds is null
                ? "is an object without timeinSecs"
                : "has timeinSecs outside the years 0001 to 9999 or timeinuSecs outside 0 to 999999");
            return false;
        }
        problem = default;
        return true;
    }

    /// <summary>The symbol's name, or its T-Library number as a JSON number.</summary>
    private static bool TryReadEnum(ref Utf8JsonReader reader, EnumPlan plan, out object? value, out FieldProblem problem)
    {
        value = null;
        problem = default;
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                if (!JsonText.TryLookup(ref reader, plan.BySymbol, out var symbol, out var found))
                {
                    problem = UndecodableString;
                    return false;
                }
                if (found)
                {
                    value = symbol;
                    return true;
                }
                problem = new(BadEnumValue, $"is \"{Quote(reader.ValueSpan)}\", which is not a symbol or value of enumeration {plan.Schema.Name}");
                return false;
            case JsonTokenType.Number:
                if (reader.TryGetInt64(out var number) && plan.ByValue.TryGetValue(number, out symbol))
                {
                    value = symbol;
                    return true;
                }
                problem = new(BadEnumValue, $"is {Quote(reader.ValueSpan)}, which is not a value of enumeration {plan.Schema.Name}");
                return false;
            default:
                problem = new(WrongType, $"must be a symbol or number of enumeration {plan.Schema.Name}, not a JSON {JsonText.Describe(reader.TokenType)}");
                return false;
        }
    }

    /// <summary>
    /// A JSON object of scalars, kept sorted by key (ordinal) so that encoding is deterministic. Nested objects and
    /// arrays are kept as their compact JSON text: Avro cannot express an anonymous recursive map.
    /// </summary>
    private static bool TryReadKeyValueList(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, out object? value, out FieldProblem problem)
    {
        value = null;
        problem = default;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            problem = new(WrongType, $"must be a key-value list (a JSON object), not a JSON {JsonText.Describe(reader.TokenType)}");
            return false;
        }
        var entries = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!JsonText.TryGetString(ref reader, out var key))
            {
                problem = UndecodableString;
                return false;
            }
            reader.Read();
            if (!TryReadListValue(ref reader, json, out var entry, out problem)) return false;
            if (!entries.TryAdd(key, entry))
            {
                problem = new(DuplicateKey, $"has the key '{key}' twice");
                return false;
            }
        }
        value = entries;
        return true;
    }

    private static bool TryReadListValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, out object? value, out FieldProblem problem)
    {
        problem = default;
        value = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.True:
                value = true;
                return true;
            case JsonTokenType.False:
                value = false;
                return true;
            case JsonTokenType.String when JsonText.TryGetString(ref reader, out var text):
                value = text;
                return true;
            case JsonTokenType.String:
                problem = UndecodableString;
                return false;
            case JsonTokenType.Number when reader.TryGetInt64(out var integer):
                value = integer;
                return true;
            case JsonTokenType.Number when reader.TryGetDouble(out var real) && double.IsFinite(real):
                value = real;
                return true;
            case JsonTokenType.Number:
                problem = new(OutOfRange, $"has the number {Quote(reader.ValueSpan)}, outside the range of a double");
                return false;
            default:
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                value = JsonText.Compact(json[start..((int)reader.TokenStartIndex + 1)]);
                return true;
        }
    }

    private static readonly FieldProblem UndecodableString =
        new(MalformedJson, "has a string whose \\u escapes are not valid UTF-16 (an unpaired surrogate)");

    private static bool IsIntegerLiteral(ReadOnlySpan<byte> text)
    {
        var digits = text is [(byte)'-' or (byte)'+', ..] ? text[1..] : text;
        return digits.Length > 0 && !digits.ContainsAnyExceptInRange((byte)'0', (byte)'9');
    }

    /// <summary>Input text quoted in a message, cut short so that a huge value cannot make a huge message.</summary>
    private static string Quote(ReadOnlySpan<byte> raw)
    {
        const int Limit = 64;
        return raw.Length <= Limit
            ? Encoding.UTF8.GetString(raw)
            : Encoding.UTF8.GetString(raw[..Limit]) + "…";
    }
}
