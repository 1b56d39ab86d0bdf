using System.Text.Json;

namespace AgentStateProcessor.Metrics;

/// <summary>Consumer lag of one assigned partition, as librdkafka last reported it.</summary>
internal readonly record struct PartitionLag(string Topic, int Partition, long Lag);

/// <summary>Average request round-trip time to one broker over the last statistics interval.</summary>
internal readonly record struct BrokerRoundTrip(string Broker, double AverageSeconds);

/// <summary>
/// The few numbers taken from librdkafka's statistics JSON (<c>statistics.interval.ms</c>): per
/// partition the consumer lag, per broker <c>rtt.avg</c>. The rest of the document is ignored.
/// </summary>
internal static class KafkaStatistics
{
    public static (IReadOnlyList<PartitionLag> Lags, IReadOnlyList<BrokerRoundTrip> RoundTrips) Select(string json)
    {
        var lags = new List<PartitionLag>();
        var roundTrips = new List<BrokerRoundTrip>();
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.TryGetProperty("topics", out var topics) && topics.ValueKind == JsonValueKind.Object)
        {
            foreach (var topic in topics.EnumerateObject())
            {
                if (!topic.Value.TryGetProperty("partitions", out var partitions) || partitions.ValueKind != JsonValueKind.Object) continue;
                foreach (var partition in partitions.EnumerateObject())
                {
                    // -1 is librdkafka's internal unassigned partition.
                    if (!int.TryParse(partition.Name, out var number) || number < 0) continue;
                    if (Lag(partition.Value) is { } records) lags.Add(new PartitionLag(topic.Name, number, records));
                }
            }
        }
        if (root.TryGetProperty("brokers", out var brokers) && brokers.ValueKind == JsonValueKind.Object)
        {
            foreach (var broker in brokers.EnumerateObject())
            {
                // Bootstrap entries (node id -1) only carry the first metadata request; "logical" ones
                // (GroupCoordinator) and "internal" ones are no brokers of their own.
                if (broker.Value.TryGetProperty("nodeid", out var node) && node.TryGetInt32(out var id) && id < 0) continue;
                if (broker.Value.TryGetProperty("source", out var source) && source.GetString() is "logical" or "internal") continue;
                if (broker.Value.TryGetProperty("rtt", out var rtt) && rtt.TryGetProperty("cnt", out var count) && count.TryGetInt64(out var samples) && samples > 0
                    && rtt.TryGetProperty("avg", out var avg) && avg.TryGetInt64(out var micros))
                {
                    roundTrips.Add(new BrokerRoundTrip(broker.Name, micros / 1_000_000.0));
                }
            }
        }
        return (lags, roundTrips);
    }

    /// <summary>
    /// librdkafka's <c>consumer_lag</c> counts from the offset the consumer itself committed. Under
    /// exactly-once the producer commits the offsets, so that stays -1; then the lag is counted
    /// from the consumer's position (<c>app_offset</c>) to the last stable offset (read_committed).
    /// </summary>
    private static long? Lag(JsonElement partition)
    {
        if (Number(partition, "consumer_lag") is >= 0 and var lag) return lag;
        if (partition.TryGetProperty("fetch_state", out var state) && state.GetString() != "active") return null;
        return (Number(partition, "ls_offset"), Number(partition, "app_offset")) is ( >= 0 and var end, >= 0 and var position)
            ? Math.Max(0, end - position)
            : null;
    }

    private static long? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.TryGetInt64(out var number) ? number : null;
}
