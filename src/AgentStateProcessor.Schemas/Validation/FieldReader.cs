using System.Globalization;
using System.Text;
using System.Text.Json;
using static AgentStateProcessor.Schemas.ValidationErrorCodes;

namespace AgentStateProcessor.Schemas.Validation;

/// <summary>A problem with one attribute's value: a code and the words that follow "attribute 'X'" in the message.</summary>
internal readonly record struct FieldProblem(string Code, string Detail);

/// <summary>
/// Checks the JSON value under the reader against one field's Avro type and keeps it when the fold reads it. Never
/// throws on input the reader has already walked once (the validator's first pass): every failure is a
/// <see cref="FieldProblem"/>.
/// </summary>
internal static class FieldReader
{
    /// <summary>Keys of one key-value list compared in place; past this many, they are decoded into a set.</summary>
    private const int InPlaceKeys = 32;

    public static bool TryRead(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, FieldPlan field, ref FoldValues values, out FieldProblem problem)
    {
        problem = default;
        if (reader.TokenType == JsonTokenType.Null)
        {
            if (field.Nullable) return true;
            problem = new(NullMandatory, "is mandatory and must not be null");
            return false;
        }
        var keep = field.FoldAttribute != FoldAttribute.None;
        switch (field.Kind)
        {
            case FieldKind.String:
                if (!TryReadString(ref reader, keep, out var text, out problem)) return false;
                values.SetText(field.FoldAttribute, text);
                return true;
            case FieldKind.Int:
                return TryReadInt(ref reader, out problem);
            case FieldKind.Long:
                return TryReadInteger(ref reader, "a long", out _, out problem);
            case FieldKind.TimestampMicros:
                if (!TryReadTime(ref reader, out var micros, out problem)) return false;
                if (keep) values.SetTime(micros);
                return true;
            case FieldKind.Enum:
                if (!TryReadEnum(ref reader, field.Enum!, out var symbol, out problem)) return false;
                values.SetText(field.FoldAttribute, symbol);
                return true;
            case FieldKind.KeyValueList:
                if (!TryReadKeyValueList(ref reader, json, keep, out var reasonCode, out problem)) return false;
                values.SetText(field.FoldAttribute, reasonCode);
                return true;
            default:
                throw new InvalidOperationException($"Field kind {field.Kind} is not read from the JSON value.");
        }
    }

    /// <summary>Strings only: a JSON number where the schema says string is a wrong type. Decoded only when kept.</summary>
    private static bool TryReadString(ref Utf8JsonReader reader, bool keep, out string? value, out FieldProblem problem)
    {
        problem = default;
        value = null;
        if (reader.TokenType != JsonTokenType.String)
        {
            problem = new(WrongType, $"must be a string, not a JSON {JsonText.Describe(reader.TokenType)}");
            return false;
        }
        // Unescaped text passed the whole input's UTF-8 check; only escapes can make it undecodable.
        if (!keep && !reader.ValueIsEscaped) return true;
        if (JsonText.TryGetString(ref reader, out var text))
        {
            value = keep ? text : null;
            return true;
        }
        problem = UndecodableString;
        return false;
    }

    /// <summary>Integers as JSON numbers; a quoted number is a wrong type, as the schema says.</summary>
    private static bool TryReadInt(ref Utf8JsonReader reader, out FieldProblem problem)
    {
        if (!TryReadInteger(ref reader, "an int", out var number, out problem)) return false;
        if (number is >= int.MinValue and <= int.MaxValue) return true;
        problem = new(OutOfRange, $"is {number}, outside the range of an int");
        return false;
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

    private static bool TryReadTime(ref Utf8JsonReader reader, out long micros, out FieldProblem problem)
    {
        problem = default;
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                if (!reader.TryGetDecimal(out var seconds) || !TimeValues.TryFromEpochSeconds(seconds, out micros))
                {
                    micros = 0;
                    problem = new(BadTimestamp, $"is {Quote(reader.ValueSpan)} epoch seconds, outside the years 0001 to 9999");
                    return false;
                }
                return true;
            case JsonTokenType.String:
                if (!JsonText.TryGetString(ref reader, out var text) || !TimeValues.TryFromIso8601(text, out micros))
                {
                    micros = 0;
                    problem = new(BadTimestamp, $"is the string \"{Quote(reader.ValueSpan)}\", which is not an ISO-8601 date and time");
                    return false;
                }
                return true;
            case JsonTokenType.StartObject:
                return TryReadTimeStamp(ref reader, out micros, out problem);
            default:
                micros = 0;
                problem = new(WrongType, $"must be epoch seconds, an ISO-8601 string or {{\"timeinSecs\":S,\"timeinuSecs\":US}}, not a JSON {JsonText.Describe(reader.TokenType)}");
                return false;
        }
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

    /// <summary>The symbol's name, or its T-Library number as a JSON number; gives the schema's symbol string.</summary>
    private static bool TryReadEnum(ref Utf8JsonReader reader, EnumPlan plan, out string? symbol, out FieldProblem problem)
    {
        symbol = null;
        problem = default;
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                if (!JsonText.TryLookup(ref reader, plan.BySymbol, out symbol, out var found))
                {
                    problem = UndecodableString;
                    return false;
                }
                if (found) return true;
                problem = new(BadEnumValue, $"is \"{Quote(reader.ValueSpan)}\", which is not a symbol or value of enumeration {plan.Name}");
                return false;
            case JsonTokenType.Number:
                if (reader.TryGetInt64(out var number) && plan.ByValue.TryGetValue(number, out symbol)) return true;
                problem = new(BadEnumValue, $"is {Quote(reader.ValueSpan)}, which is not a value of enumeration {plan.Name}");
                return false;
            default:
                problem = new(WrongType, $"must be a symbol or number of enumeration {plan.Name}, not a JSON {JsonText.Describe(reader.TokenType)}");
                return false;
        }
    }

    /// <summary>
    /// A JSON object of scalars; nested objects and arrays count as their compact JSON text (Avro cannot express an
    /// anonymous recursive map). A key given twice is an error. When <paramref name="findReasonCode"/>, the value of
    /// the ReasonCode entry as text: of the keys that match it ignoring case, the ordinally first.
    /// </summary>
    private static bool TryReadKeyValueList(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, bool findReasonCode, out string? reasonCode, out FieldProblem problem)
    {
        reasonCode = null;
        problem = default;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            problem = new(WrongType, $"must be a key-value list (a JSON object), not a JSON {JsonText.Describe(reader.TokenType)}");
            return false;
        }
        Span<Range> inPlaceKeys = stackalloc Range[InPlaceKeys];
        var keys = new SeenKeys();
        string? reasonKey = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string? key = null;
            if (reader.ValueIsEscaped && !JsonText.TryGetString(ref reader, out key))
            {
                problem = UndecodableString;
                return false;
            }
            if (!TryAddKey(ref reader, json, key, inPlaceKeys, ref keys))
            {
                JsonText.TryGetString(ref reader, out key);
                problem = new(DuplicateKey, $"has the key '{key}' twice");
                return false;
            }
            var isReasonCode = false;
            if (findReasonCode && (key is null ? Ascii.EqualsIgnoreCase(reader.ValueSpan, "ReasonCode"u8) : FoldValues.IsReasonCodeKey(key)))
            {
                key ??= Encoding.UTF8.GetString(reader.ValueSpan);
                isReasonCode = reasonKey is null || string.CompareOrdinal(key, reasonKey) < 0;
            }
            reader.Read();
            if (!TryReadListValue(ref reader, json, isReasonCode, out var text, out problem)) return false;
            if (isReasonCode)
            {
                reasonKey = key;
                reasonCode = text;
            }
        }
        return true;
    }

    /// <summary>Checks one entry's value; when <paramref name="render"/>, gives it as the text the fold reads.</summary>
    private static bool TryReadListValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, bool render, out string? text, out FieldProblem problem)
    {
        problem = default;
        text = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.True:
                if (render) text = "true";
                return true;
            case JsonTokenType.False:
                if (render) text = "false";
                return true;
            case JsonTokenType.String when !render && !reader.ValueIsEscaped:
                return true;
            case JsonTokenType.String when JsonText.TryGetString(ref reader, out var value):
                if (render) text = value;
                return true;
            case JsonTokenType.String:
                problem = UndecodableString;
                return false;
            case JsonTokenType.Number when reader.TryGetInt64(out var integer):
                if (render) text = integer.ToString(CultureInfo.InvariantCulture);
                return true;
            case JsonTokenType.Number when reader.TryGetDouble(out var real) && double.IsFinite(real):
                if (render) text = real.ToString(CultureInfo.InvariantCulture);
                return true;
            case JsonTokenType.Number:
                problem = new(OutOfRange, $"has the number {Quote(reader.ValueSpan)}, outside the range of a double");
                return false;
            default:
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                if (render) text = JsonText.Compact(json[start..((int)reader.TokenStartIndex + 1)]);
                return true;
        }
    }

    /// <summary>The keys of one key-value list so far (see <see cref="TryAddKey"/>).</summary>
    private struct SeenKeys
    {
        public int InPlaceCount;
        public List<string>? Escaped;
        public HashSet<string>? Many;
    }

    /// <summary>
    /// False when the current key was seen before. A key without escapes is remembered by its place in the input and
    /// compared there (no string is made); the reader compares its current token, escaped or not, unescaped.
    /// </summary>
    /// <param name="decoded">The current key decoded, when the reader had to decode it (it was escaped).</param>
    private static bool TryAddKey(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, string? decoded, scoped Span<Range> inPlace, ref SeenKeys seen)
    {
        if (seen.Many is not null)
        {
            return seen.Many.Add(decoded ?? Encoding.UTF8.GetString(reader.ValueSpan));
        }
        foreach (var range in inPlace[..seen.InPlaceCount])
        {
            if (reader.ValueTextEquals(json[range])) return false;
        }
        foreach (var key in seen.Escaped ?? [])
        {
            if (reader.ValueTextEquals(key)) return false;
        }
        if (decoded is not null)
        {
            (seen.Escaped ??= []).Add(decoded);
        }
        else if (seen.InPlaceCount < inPlace.Length)
        {
            var start = (int)reader.TokenStartIndex + 1;
            inPlace[seen.InPlaceCount++] = new Range(start, start + reader.ValueSpan.Length);
        }
        else
        {
            // A long list: compare in a set from now on, not against every key before.
            seen.Many = new HashSet<string>(StringComparer.Ordinal);
            foreach (var range in inPlace) seen.Many.Add(Encoding.UTF8.GetString(json[range]));
            foreach (var key in seen.Escaped ?? []) seen.Many.Add(key);
            return seen.Many.Add(Encoding.UTF8.GetString(reader.ValueSpan));
        }
        return true;
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
