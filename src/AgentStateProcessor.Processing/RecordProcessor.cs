using AgentStateProcessor.Domain;
using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.Domain.Fold;
using AgentStateProcessor.Processing.Intake;
using AgentStateProcessor.Processing.Stores;

namespace AgentStateProcessor.Processing;

/// <summary>
/// The one per-record step, shared by replay (<see cref="LocalProcessor"/>) and the Kafka pipeline's
/// tasks: intake, then the fold into the stores the caller owns, reduced to one <see cref="RecordOutcome"/>
/// and the agent state change it made, if any.
/// </summary>
public sealed class RecordProcessor(EventIntake intake)
{
    /// <summary>Validates an input record and folds it into <paramref name="agents"/>, and into <paramref name="dns"/> when given.</summary>
    /// <param name="dns">
    /// The DN store, when DN state is folded where the input is read (replay). Null in the pipeline,
    /// whose DN state lives on the partition of the DN: the result then says whether to send the event there.
    /// </param>
    public RecordResult ProcessInput(InputRecord record, StateStore<AgentState> agents, StateStore<DnState>? dns)
    {
        var read = intake.Read(record);
        switch (read.Outcome)
        {
            case IntakeOutcome.Skipped: return new(RecordOutcome.Skipped, read, null, SendToDn: false);
            case IntakeOutcome.DeadLetter: return new(RecordOutcome.DeadLettered, read, null, SendToDn: false);
        }

        var e = read.Event!;
        var agent = agents.Fold(e, out var change);
        if (dns is not null) return new(Combine(agent, dns.Fold(e)), read, e, SendToDn: false, change);

        var sendToDn = e.Kind.ChangesDn() && e.DnKey is not null;
        var outcome = agent == FoldOutcome.NotApplicable && sendToDn ? RecordOutcome.ForwardedToDn : Combine(agent, FoldOutcome.NotApplicable);
        return new(outcome, read, e, sendToDn, change);
    }

    /// <summary>Folds a DN event that was validated on the agent side and came through the repartition topic.</summary>
    public static RecordResult ProcessRepartitioned(VoiceEvent e, StateStore<DnState> dns) =>
        new(Combine(FoldOutcome.NotApplicable, dns.Fold(e)), null, e, SendToDn: false);

    private static RecordOutcome Combine(FoldOutcome agent, FoldOutcome dn)
    {
        if (agent == FoldOutcome.Applied || dn == FoldOutcome.Applied) return RecordOutcome.Applied;
        if (agent == FoldOutcome.Duplicate || dn == FoldOutcome.Duplicate) return RecordOutcome.Duplicate;
        return RecordOutcome.NoStateRule;
    }
}
