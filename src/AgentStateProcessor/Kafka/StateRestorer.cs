using System.Globalization;
using System.Text;
using AgentStateProcessor.Configuration;
using Confluent.Kafka;

namespace AgentStateProcessor.Kafka;

/// <summary>
/// Restores what tasks start from: the progress topic (each partition's stored next offset) and
/// each task's snapshot partition (its store). Reads these compacted topics from the beginning to
/// their end, read_committed, with its own consumer that never joins the group.
/// </summary>
internal sealed class StateRestorer(IConsumer<byte[]?, byte[]?> consumer, TimeSpan timeout, TopicOptions topics, TopicLayout layout) : IDisposable
{
    private static readonly TimeSpan WatermarkTimeout = TimeSpan.FromSeconds(10);
    private const int ProgressEvery = 1_000;

    /// <summary>Told how many records are left to read (from the watermarks; compaction makes it an upper bound), now and then while reading.</summary>
    public Action<long>? RemainingRecords { get; init; }

    /// <summary>The stored next offset of every partition that has one, by <see cref="StreamTask.ProgressKeyOf"/>.</summary>
    public Dictionary<string, long> ReadProgress()
    {
        var progress = new Dictionary<string, long>(StringComparer.Ordinal);
        var partitions = Enumerable.Range(0, layout.ProgressPartitions).Select(p => new TopicPartition(topics.Progress, p)).ToList();
        ReadToEnd(partitions, record =>
        {
            if (record.Message.Key is null || record.Message.Value is null) return;
            if (long.TryParse(Encoding.UTF8.GetString(record.Message.Value), NumberStyles.Integer, CultureInfo.InvariantCulture, out var next))
            {
                progress[Encoding.UTF8.GetString(record.Message.Key)] = next;
            }
        });
        return progress;
    }

    /// <summary>Fills every task's store from its snapshot partition.</summary>
    /// <returns>The number of snapshot records read.</returns>
    public long RestoreSnapshots(IReadOnlyCollection<StreamTask> tasks)
    {
        var bySnapshots = tasks.ToDictionary(t => t.Snapshots);
        return ReadToEnd(bySnapshots.Keys, record => bySnapshots[record.TopicPartition].Restore(record));
    }

    /// <summary>Calls <paramref name="apply"/> for every record of the partitions, in offset order per partition.</summary>
    private long ReadToEnd(IReadOnlyCollection<TopicPartition> partitions, Action<ConsumeResult<byte[]?, byte[]?>> apply)
    {
        var toRead = partitions.Select(p => (Partition: p, Records: RecordsIn(p))).Where(p => p.Records > 0).ToList();
        var remaining = toRead.Select(p => p.Partition).ToHashSet();
        var left = toRead.Sum(p => p.Records);
        RemainingRecords?.Invoke(left);
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
                if (result is null || count % ProgressEvery == 0) RemainingRecords?.Invoke(Math.Max(0, left - count));
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
            RemainingRecords?.Invoke(0);
        }
        return count;
    }

    private long RecordsIn(TopicPartition partition)
    {
        var watermarks = consumer.QueryWatermarkOffsets(partition, WatermarkTimeout);
        return Math.Max(0, watermarks.High - watermarks.Low);
    }

    public void Dispose() => consumer.Dispose();
}
