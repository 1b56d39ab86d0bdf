using System.Globalization;
using System.Text;
using System.Text.Json;
using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.Processing;

namespace AgentStateProcessor.Commands;

/// <summary>
/// Reads a JSON-lines file of input records. A line is either a record
/// <c>{"key":"tenant:agent","timestamp":"2026-11-21T09:00:00Z","value":{...event...}}</c>
/// (<c>value_raw</c>, a string, stands for a value that is not a JSON object, such as malformed
/// text), or a bare event object, keyed later by its CustomerID:AgentID. A line that is not JSON
/// at all is taken as a value as it stands, so it becomes a dead letter like on the topic.
/// Position: the file as topic, partition 0, the line's index as offset.
/// </summary>
internal static class ReplayFile
{
    public static IEnumerable<ReplayLine> Read(string path)
    {
        var topic = "file:" + Path.GetFileName(path);
        long offset = -1;
        foreach (var line in File.ReadLines(path))
        {
            offset++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            ReplayLine read;
            try
            {
                read = new ReplayLine(offset + 1, Parse(line, new InputPosition(topic, 0, offset)), null);
            }
            catch (FormatException e)
            {
                read = new ReplayLine(offset + 1, null, e.Message);
            }
            yield return read;
        }
    }

    /// <exception cref="FormatException">The line is a record whose key or value_raw cannot be turned into bytes.</exception>
    public static InputRecord Parse(string line, InputPosition position)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && IsRecordWrapper(root))
            {
                return new InputRecord(
                    Key: root.TryGetProperty("key", out var key) && key.ValueKind == JsonValueKind.String ? key.GetString() : null,
                    Value: RecordValue(root),
                    TimestampMicros: root.TryGetProperty("timestamp", out var ts) ? TimestampMicros(ts) : 0,
                    Position: position);
            }
        }
        catch (JsonException)
        {
            // Not JSON: taken as a raw value below, so intake reports it as it would from Kafka.
        }
        catch (InvalidOperationException e)
        {
            // A string escape with no UTF-8 form (an unpaired surrogate such as \ud800): a record
            // value holding it is dead-lettered by intake, but key and value_raw must become bytes first.
            throw new FormatException($"a string of the record cannot be turned into UTF-8 bytes ({e.Message})", e);
        }
        return new InputRecord(Key: null, Value: bytes, TimestampMicros: 0, Position: position);
    }

    private static bool IsRecordWrapper(JsonElement root) =>
        root.TryGetProperty("value", out _) || root.TryGetProperty("value_raw", out _);

    private static byte[] RecordValue(JsonElement root) =>
        root.TryGetProperty("value_raw", out var raw) && raw.ValueKind == JsonValueKind.String
            ? Encoding.UTF8.GetBytes(raw.GetString()!)
            : Encoding.UTF8.GetBytes(root.GetProperty("value").GetRawText());

    // The calendar DateTimeOffset can express, in epoch milliseconds; beyond it a timestamp is no time at all.
    private static readonly long MinMillis = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    private static readonly long MaxMillis = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    /// <summary>Epoch milliseconds or ISO-8601 text; anything else, or out of the calendar, is 0 (the epoch), as a record without a timestamp.</summary>
    private static long TimestampMicros(JsonElement timestamp) => timestamp.ValueKind switch
    {
        JsonValueKind.Number when timestamp.TryGetInt64(out var millis) && millis >= MinMillis && millis <= MaxMillis => millis * 1000,
        JsonValueKind.String when DateTimeOffset.TryParse(timestamp.GetString(), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out var time) => (time - DateTimeOffset.UnixEpoch).Ticks / 10,
        _ => 0,
    };
}

/// <summary>One non-blank line of a replay file: the record it holds, or why it cannot be read.</summary>
/// <param name="Number">1-based line number.</param>
internal sealed record ReplayLine(long Number, InputRecord? Record, string? Problem);
