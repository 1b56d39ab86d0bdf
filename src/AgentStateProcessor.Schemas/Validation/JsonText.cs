using System.Buffers;
using System.Text;
using System.Text.Json;

namespace AgentStateProcessor.Schemas.Validation;

/// <summary>Reading strings out of a <see cref="Utf8JsonReader"/> over input already checked to be valid UTF-8.</summary>
internal static class JsonText
{
    private const int StackChars = 128;

    /// <summary>
    /// The current string token as a string; false when its escapes do not make valid UTF-16 (a lone surrogate such
    /// as <c>"\ud800"</c>: well-formed JSON grammar, but not text).
    /// </summary>
    public static bool TryGetString(ref Utf8JsonReader reader, out string value)
    {
        if (!reader.ValueIsEscaped)
        {
            // The whole input passed Utf8.IsValid, so this decoding cannot meet an invalid sequence.
            value = Encoding.UTF8.GetString(reader.ValueSpan);
            return true;
        }
        try
        {
            value = reader.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            // GetString reports an unpaired surrogate escape only by throwing; it is the one failure it can have here.
            value = "";
            return false;
        }
    }

    /// <summary>
    /// Looks the current string or property-name token up without allocating when it is short and unescaped.
    /// False when the token is not decodable text (see <see cref="TryGetString"/>).
    /// </summary>
    public static bool TryLookup<TValue>(
        ref Utf8JsonReader reader,
        Dictionary<string, TValue>.AlternateLookup<ReadOnlySpan<char>> lookup,
        out TValue? value,
        out bool found)
    {
        if (!reader.ValueIsEscaped && reader.ValueSpan.Length <= StackChars)
        {
            Span<char> chars = stackalloc char[StackChars];
            var count = Encoding.UTF8.GetChars(reader.ValueSpan, chars);
            found = lookup.TryGetValue(chars[..count], out value);
            return true;
        }
        if (!TryGetString(ref reader, out var text))
        {
            value = default;
            found = false;
            return false;
        }
        found = lookup.TryGetValue(text, out value);
        return true;
    }

    /// <summary>The JSON text of a value with the whitespace between tokens removed; strings are kept byte for byte.</summary>
    public static string Compact(ReadOnlySpan<byte> json)
    {
        var rented = ArrayPool<byte>.Shared.Rent(json.Length);
        try
        {
            var length = 0;
            var inString = false;
            var escaped = false;
            foreach (var b in json)
            {
                if (inString)
                {
                    if (escaped) escaped = false;
                    else if (b == (byte)'\\') escaped = true;
                    else if (b == (byte)'"') inString = false;
                }
                else if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
                {
                    continue;
                }
                else if (b == (byte)'"')
                {
                    inString = true;
                }
                rented[length++] = b;
            }
            return Encoding.UTF8.GetString(rented, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "object",
        JsonTokenType.StartArray => "array",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
