using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace AgentStateProcessor.Kafka;

/// <summary>Header names this processor writes on dead letters. Values are UTF-8 text.</summary>
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
}
