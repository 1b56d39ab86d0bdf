namespace AgentStateProcessor.Processing;

/// <summary>
/// Counts of step outcomes, with skips and dead letters by code (a skipped extension event counts under its
/// own name, an undescribed one under <c>unknown-event</c>): the one bookkeeping of outcomes, for replay's
/// totals and the pipeline's counters. Written by one thread, readable from any.
/// </summary>
public sealed class ProcessingTotals
{
    private long _records, _applied, _duplicates, _noStateRule, _forwardedToDn, _sentToDn, _unlistedAttributes;
    private readonly SortedDictionary<string, long> _skippedByCode = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, long> _deadLettersByCode = new(StringComparer.Ordinal);
    private long _skipped, _deadLettered;

    public long Records => Interlocked.Read(ref _records);
    public long Applied => Interlocked.Read(ref _applied);
    public long Duplicates => Interlocked.Read(ref _duplicates);
    public long NoStateRule => Interlocked.Read(ref _noStateRule);
    /// <summary>Steps whose event changes only DN state, folded after the repartition hop.</summary>
    public long ForwardedToDn => Interlocked.Read(ref _forwardedToDn);
    /// <summary>Steps whose event was to be sent to the DN side (whatever it did to agent state).</summary>
    public long SentToDn => Interlocked.Read(ref _sentToDn);
    public long UnlistedAttributes => Interlocked.Read(ref _unlistedAttributes);
    public long Skipped => Interlocked.Read(ref _skipped);
    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    public SortedDictionary<string, long> SkippedByCode { get { lock (_skippedByCode) return new(_skippedByCode, StringComparer.Ordinal); } }
    public SortedDictionary<string, long> DeadLettersByCode { get { lock (_deadLettersByCode) return new(_deadLettersByCode, StringComparer.Ordinal); } }

    public void Count(RecordResult result)
    {
        Interlocked.Increment(ref _records);
        if (result.Intake is { } intake) Interlocked.Add(ref _unlistedAttributes, intake.UnlistedAttributeCount);
        if (result.SendToDn) Interlocked.Increment(ref _sentToDn);
        switch (result.Outcome)
        {
            case RecordOutcome.Applied: Interlocked.Increment(ref _applied); break;
            case RecordOutcome.Duplicate: Interlocked.Increment(ref _duplicates); break;
            case RecordOutcome.NoStateRule: Interlocked.Increment(ref _noStateRule); break;
            case RecordOutcome.ForwardedToDn: Interlocked.Increment(ref _forwardedToDn); break;
            case RecordOutcome.Skipped:
                Increment(_skippedByCode, result.Intake!.Code!);
                Interlocked.Increment(ref _skipped);
                break;
            case RecordOutcome.DeadLettered:
                Increment(_deadLettersByCode, result.Intake!.Code!);
                Interlocked.Increment(ref _deadLettered);
                break;
        }
    }

    private static void Increment(SortedDictionary<string, long> counts, string code)
    {
        lock (counts) counts[code] = counts.GetValueOrDefault(code) + 1;
    }
}
