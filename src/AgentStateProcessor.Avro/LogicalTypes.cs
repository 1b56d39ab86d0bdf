using System.Text.Json;

namespace AgentStateProcessor.Avro;

/// <summary>The logical types of Avro 1.11 and the underlying types each may annotate.</summary>
internal static class LogicalTypes
{
    public const string TimestampMillis = "timestamp-millis";
    public const string TimestampMicros = "timestamp-micros";

    /// <summary>
    /// The logical type named by the schema object, or null when it names none, one this library does not know,
    /// or one the underlying type cannot carry: the specification says such logical types are ignored.
    /// </summary>
    public static string? Recognize(JsonElement element, AvroType underlying, int fixedSize)
    {
        if (!element.TryGetProperty("logicalType", out var logicalTypeElement) || logicalTypeElement.ValueKind != JsonValueKind.String)
        {
            return null;
        }
        var logicalType = logicalTypeElement.GetString()!;
        var valid = logicalType switch
        {
            "date" or "time-millis" => underlying == AvroType.Int,
            "time-micros" or TimestampMillis or TimestampMicros or "local-timestamp-millis" or "local-timestamp-micros" =>
                underlying == AvroType.Long,
            "uuid" => underlying == AvroType.String,
            "duration" => underlying == AvroType.Fixed && fixedSize == 12,
            "decimal" => IsValidDecimal(element, underlying, fixedSize),
            _ => false,
        };
        return valid ? logicalType : null;
    }

    private static bool IsValidDecimal(JsonElement element, AvroType underlying, int fixedSize)
    {
        if (underlying is not (AvroType.Bytes or AvroType.Fixed))
        {
            return false;
        }
        if (!element.TryGetProperty("precision", out var precisionElement) ||
            precisionElement.ValueKind != JsonValueKind.Number ||
            !precisionElement.TryGetInt32(out var precision) || precision <= 0)
        {
            return false;
        }
        var scale = 0;
        if (element.TryGetProperty("scale", out var scaleElement) &&
            (scaleElement.ValueKind != JsonValueKind.Number || !scaleElement.TryGetInt32(out scale)))
        {
            return false;
        }
        if (scale < 0 || scale > precision)
        {
            return false;
        }
        // A fixed of n bytes holds a two's-complement integer of at most floor(log10(2^(8n-1) - 1)) digits.
        return underlying != AvroType.Fixed || precision <= Math.Floor(Math.Log10(2) * (8.0 * fixedSize - 1));
    }
}
