using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace AgentStateProcessor.Kafka;

/// <summary>Header names this processor writes, and reading them back. Values are UTF-8 text.</summary>
internal static class RecordHeaders
{
    public const string ErrorCode = "dlq.error.code";
    public const string ErrorReason = "dlq.error.reason";
    public const string SourceTopic = "dlq.source.topic";
    public const string SourcePartition = "dlq.source.partition";
    public const string SourceOffset = "dlq.source.offset";

    public static void AddText(this Headers headers, string name, string value) => headers.Add(name, Encoding.UTF8.GetBytes(value));

    public static void AddNumber(this Headers headers, string name, long value) =>
        headers.AddText(name, value.ToString(CultureInfo.InvariantCulture));

    public static string? Text(this Headers? headers, string name) =>
        headers is not null && headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    public static long? Number(this Headers? headers, string name) =>
        long.TryParse(headers.Text(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
