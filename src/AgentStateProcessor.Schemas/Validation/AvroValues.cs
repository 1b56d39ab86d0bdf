using System.Collections;
using System.Globalization;
using Avro.Generic;

namespace AgentStateProcessor.Schemas.Validation;

/// <summary>
/// Checks one value of a record Apache.Avro decoded under the writer's schema against our field, and keeps it when
/// the fold reads it. The writer's types may differ from ours where Avro's promotions allow (int for long) and where
/// the writer chose another spelling of time (a timestamp logical type, which Apache.Avro reads as a DateTime).
/// </summary>
internal static class AvroValues
{
    /// <param name="expected">When false: what the field takes, for the message.</param>
    public static bool TryRead(object value, FieldPlan field, ref FoldValues values, out string expected)
    {
        expected = "";
        switch (field.Kind)
        {
            case FieldKind.EventName when value is string:
                return true;
            case FieldKind.String when value is string text:
                values.SetText(field.FoldAttribute, text);
                return true;
            case FieldKind.Int when value is int:
            case FieldKind.Long when value is int or long:
                return true;
            case FieldKind.TimestampMicros when TryGetMicros(value, out var micros):
                if (field.FoldAttribute == FoldAttribute.Time) values.SetTime(micros);
                return true;
            case FieldKind.Enum when value is GenericEnum symbol && field.Enum!.BySymbol.Dictionary.TryGetValue(symbol.Value, out var ours):
                values.SetText(field.FoldAttribute, ours);
                return true;
            case FieldKind.KeyValueList when value is IDictionary<string, object?> entries && TryReadKeyValueList(entries, out var reasonCode):
                values.SetText(field.FoldAttribute, reasonCode);
                return true;
        }
        expected = field.Kind switch
        {
            FieldKind.EventName or FieldKind.String => "a string",
            FieldKind.Int => "an int",
            FieldKind.Long => "a long",
            FieldKind.TimestampMicros => "a timestamp (timestamp-micros, or a long of microseconds)",
            FieldKind.Enum => $"a symbol of enumeration {field.Enum!.Name}",
            _ => "a map of null, boolean, long, double or string",
        };
        return false;
    }

    public static string Describe(object value) => value switch
    {
        GenericEnum symbol => $"the symbol {symbol.Value} of {symbol.Schema.Name}",
        IDictionary => "a map with other values",
        _ => "a value of type " + value.GetType().Name,
    };

    private static bool TryGetMicros(object value, out long micros)
    {
        switch (value)
        {
            case long number:
                micros = number;
                return true;
            case int number:
                micros = number;
                return true;
            case DateTime instant:
                micros = (instant.ToUniversalTime() - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;
                return true;
            default:
                micros = 0;
                return false;
        }
    }

    /// <summary>A key-value list's values and its reason code (of the keys matching ignoring case, the ordinally first).</summary>
    private static bool TryReadKeyValueList(IDictionary<string, object?> entries, out string? reasonCode)
    {
        reasonCode = null;
        string? reasonKey = null;
        foreach (var (key, value) in entries)
        {
            if (value is not (null or bool or int or long or float or double or string)) return false;
            if (!FoldValues.IsReasonCodeKey(key) || (reasonKey is not null && string.CompareOrdinal(key, reasonKey) >= 0)) continue;
            reasonKey = key;
            reasonCode = value switch
            {
                null => null,
                bool flag => flag ? "true" : "false",
                string text => text,
                _ => ((IFormattable)value).ToString(null, CultureInfo.InvariantCulture),
            };
        }
        return true;
    }
}
