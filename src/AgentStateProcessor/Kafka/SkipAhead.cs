namespace AgentStateProcessor.Kafka;

/// <summary>
/// Recognises a consumer that jumped past records it was to read because the log no longer holds
/// them (retention deleted them while the processor lagged or was down; librdkafka then resets the
/// position by auto.offset.reset, quietly). A gap inside the retained log is not one: transaction
/// markers, aborted records and compaction leave gaps a read_committed consumer never sees.
/// </summary>
internal static class SkipAhead
{
    /// <param name="expected">The offset the task was to read next.</param>
    /// <param name="actual">The offset of the record that came instead.</param>
    /// <param name="logStart">The partition's first retained offset; negative when unknown.</param>
    /// <returns>The offsets jumped over (records, and any control records among them); 0 when nothing was lost.</returns>
    public static long RecordsSkipped(long expected, long actual, long logStart) =>
        actual > expected && logStart > expected ? actual - expected : 0;
}
