namespace AgentStateProcessor.Configuration;

internal enum ProcessingGuarantee { ExactlyOnce, AtLeastOnce }

/// <summary>How records are processed (configuration section <c>Processing</c>).</summary>
internal sealed class ProcessingOptions : ISelfValidatingOptions
{
    public const string SectionName = "Processing";

    /// <summary>ExactlyOnce (Kafka transactions; the default) or AtLeastOnce.</summary>
    public ProcessingGuarantee Guarantee { get; set; } = ProcessingGuarantee.ExactlyOnce;
    /// <summary>Values larger than this are dead letters (code too-large).</summary>
    public int MaxMessageBytes { get; set; } = 1_000_000;
    /// <summary>
    /// How often snapshots, progress and offsets are committed; a key changed many times in between is
    /// written once. 100 ms, as Kafka Streams under exactly-once: a snapshot becomes visible within about
    /// two intervals, at the cost of more, smaller transactions (docs/benchmarks.md, freshness).
    /// </summary>
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromMilliseconds(100);
    /// <summary>How long restoring state from the snapshot topics may take on assignment before the service gives up.</summary>
    public TimeSpan RestoreTimeout { get; set; } = TimeSpan.FromMinutes(2);

    public IEnumerable<string> Validate()
    {
        if (MaxMessageBytes < 64) yield return $"Processing:MaxMessageBytes must be at least 64 (was {MaxMessageBytes})";
        if (CommitInterval < TimeSpan.FromMilliseconds(10) || CommitInterval > TimeSpan.FromMinutes(5))
        {
            yield return $"Processing:CommitInterval must be between 00:00:00.010 and 00:05:00 (was {CommitInterval})";
        }
        if (RestoreTimeout <= TimeSpan.Zero) yield return "Processing:RestoreTimeout must be positive";
    }
}
