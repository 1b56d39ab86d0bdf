using System.Collections;

namespace AgentStateProcessor.Avro;

/// <summary>
/// Deep equality of generic values: arrays element by element, maps by key regardless of order, bytes by content,
/// floating point by bit pattern (so NaN equals itself and 0.0 differs from -0.0, as a round trip must preserve).
/// </summary>
internal static class GenericValueEquality
{
    public static bool ValuesEqual(object? left, object? right)
    {
        if (ReferenceEquals(left, right))
        {
            return true;
        }
        switch (left)
        {
            case null:
                return false;
            case double leftDouble:
                return right is double rightDouble && BitConverter.DoubleToInt64Bits(leftDouble) == BitConverter.DoubleToInt64Bits(rightDouble);
            case float leftFloat:
                return right is float rightFloat && BitConverter.SingleToInt32Bits(leftFloat) == BitConverter.SingleToInt32Bits(rightFloat);
            case byte[] leftBytes:
                return right is byte[] rightBytes && leftBytes.AsSpan().SequenceEqual(rightBytes);
            case IDictionary<string, object?> leftMap:
                return right is IDictionary<string, object?> rightMap && MapsEqual(leftMap, rightMap);
            case IList leftList when left is not string:
                return right is IList rightList && ListsEqual(leftList, rightList);
            default:
                return left.Equals(right);
        }
    }

    public static int HashOf(object? value)
    {
        switch (value)
        {
            case null:
                return 0;
            case double number:
                return BitConverter.DoubleToInt64Bits(number).GetHashCode();
            case float number:
                return BitConverter.SingleToInt32Bits(number);
            case byte[] bytes:
                var bytesHash = new HashCode();
                bytesHash.AddBytes(bytes);
                return bytesHash.ToHashCode();
            case IDictionary<string, object?> map:
                // Order-independent, like the equality above.
                var mapHash = map.Count;
                foreach (var entry in map)
                {
                    mapHash += HashCode.Combine(StringComparer.Ordinal.GetHashCode(entry.Key), HashOf(entry.Value));
                }
                return mapHash;
            case IList list:
                var listHash = new HashCode();
                foreach (var item in list)
                {
                    listHash.Add(HashOf(item));
                }
                return listHash.ToHashCode();
            default:
                return value.GetHashCode();
        }
    }

    private static bool MapsEqual(IDictionary<string, object?> left, IDictionary<string, object?> right)
    {
        if (left.Count != right.Count)
        {
            return false;
        }
        foreach (var entry in left)
        {
            if (!right.TryGetValue(entry.Key, out var rightValue) || !ValuesEqual(entry.Value, rightValue))
            {
                return false;
            }
        }
        return true;
    }

    private static bool ListsEqual(IList left, IList right)
    {
        if (left.Count != right.Count)
        {
            return false;
        }
        for (var i = 0; i < left.Count; i++)
        {
            if (!ValuesEqual(left[i], right[i]))
            {
                return false;
            }
        }
        return true;
    }
}
