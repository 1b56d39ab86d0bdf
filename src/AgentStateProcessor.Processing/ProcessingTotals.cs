using AgentStateProcessor.Domain.Fold;
using AgentStateProcessor.Processing.Intake;

namespace AgentStateProcessor.Processing;

/// <summary>Where every input record ended: each record is counted exactly once.</summary>
public enum RecordOutcome
{
    /// <summary>Changed agent or DN state.</summary>
    Applied,
    /// <summary>Every state it concerns already reflects it (replayed input).</summary>
    Duplicate,
    /// <summary>A valid event of the reference documents that changes no state (e.g. EventRegistered).</summary>
    NoStateRule,
    /// <summary>Not for us: an event the documents do not describe.</summary>
    Skipped,
    /// <summary>Invalid: written to the dead-letter topic.</summary>
    DeadLettered,
}

/// <summary>Counts of record outcomes, with skips and dead letters by code. Not thread-safe: one per task.</summary>
public sealed class ProcessingTotals
{
    public long Records { get; private set; }
    public long Applied { get; private set; }
    public long Duplicates { get; private set; }
    public long NoStateRule { get; private set; }
    public long UnlistedAttributes { get; private set; }
    public SortedDictionary<string, long> SkippedByCode { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, long> DeadLettersByCode { get; } = new(StringComparer.Ordinal);

    public long Skipped => SkippedByCode.Values.Sum();
    public long DeadLettered => DeadLettersByCode.Values.Sum();

    public RecordOutcome Count(IntakeResult intake, FoldOutcome agent = FoldOutcome.NotApplicable, FoldOutcome dn = FoldOutcome.NotApplicable)
    {
        Records++;
        UnlistedAttributes += intake.UnlistedAttributeCount;
        switch (intake.Outcome)
        {
            case IntakeOutcome.Skipped:
                Increment(SkippedByCode, intake.Code!);
                return RecordOutcome.Skipped;
            case IntakeOutcome.DeadLetter:
                Increment(DeadLettersByCode, intake.Code!);
                return RecordOutcome.DeadLettered;
        }
        if (agent == FoldOutcome.Applied || dn == FoldOutcome.Applied)
        {
            Applied++;
            return RecordOutcome.Applied;
        }
        if (agent == FoldOutcome.Duplicate || dn == FoldOutcome.Duplicate)
        {
            Duplicates++;
            return RecordOutcome.Duplicate;
        }
        NoStateRule++;
        return RecordOutcome.NoStateRule;
    }

    private static void Increment(SortedDictionary<string, long> counts, string code) =>
        counts[code] = counts.GetValueOrDefault(code) + 1;
}
