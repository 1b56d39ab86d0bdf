using Confluent.Kafka;

namespace AgentStateProcessor.Kafka;

/// <summary>
/// Reads compacted topics (the snapshot changelogs and the progress topic) from the beginning to
/// their end, read_committed, with its own consumer that never joins the group.
/// </summary>
internal sealed class ChangelogRestorer(IConsumer<byte[]?, byte[]?> consumer, TimeSpan timeout) : IDisposable
{
    private static readonly TimeSpan WatermarkTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Calls <paramref name="apply"/> for every record of the partitions, in offset order per partition.</summary>
    /// <returns>The number of records read.</returns>
    public long ReadToEnd(IReadOnlyCollection<TopicPartition> partitions, Action<ConsumeResult<byte[]?, byte[]?>> apply)
    {
        var remaining = partitions.Where(HasRecords).ToHashSet();
        if (remaining.Count == 0) return 0;

        consumer.Assign(remaining.Select(tp => new TopicPartitionOffset(tp, Offset.Beginning)));
        var deadline = DateTime.UtcNow + timeout;
        long count = 0;
        try
        {
            while (remaining.Count > 0)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"restoring {string.Join(", ", remaining)} did not reach the end within {timeout} (Processing:RestoreTimeout)");
                }
                var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
                if (result is null) continue;
                if (result.IsPartitionEOF)
                {
                    remaining.Remove(result.TopicPartition);
                    continue;
                }
                apply(result);
                count++;
            }
        }
        finally
        {
            consumer.Unassign();
        }
        return count;
    }

    private bool HasRecords(TopicPartition partition)
    {
        var watermarks = consumer.QueryWatermarkOffsets(partition, WatermarkTimeout);
        return watermarks.High > watermarks.Low;
    }

    public void Dispose() => consumer.Dispose();
}
