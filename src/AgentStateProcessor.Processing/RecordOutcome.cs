using AgentStateProcessor.Domain;
using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.Processing.Intake;

namespace AgentStateProcessor.Processing;

/// <summary>
/// Where one processing step left a record: the one vocabulary of record outcomes, for replay,
/// the pipeline's counters and its logs. A step is an input record (intake and the folds of the
/// stores it was given) or, in the pipeline, a DN event read back from the repartition topic.
/// </summary>
public enum RecordOutcome
{
    /// <summary>Changed agent or DN state.</summary>
    Applied,
    /// <summary>Every state it concerns already reflects it (replayed input).</summary>
    Duplicate,
    /// <summary>A valid event of the reference documents that changes no state (e.g. EventRegistered).</summary>
    NoStateRule,
    /// <summary>
    /// Changes no agent state, only its DN's, which the pipeline folds on the DN side after the
    /// repartition hop; that fold is a step with an outcome of its own. Replay never gives it.
    /// </summary>
    ForwardedToDn,
    /// <summary>Not for us: an event no table describes, or an extension event without a state rule (monitoring, listen).</summary>
    Skipped,
    /// <summary>Invalid: written to the dead-letter topic.</summary>
    DeadLettered,
}

/// <summary>The result of one processing step.</summary>
/// <param name="Intake">What intake made of the input record; null for a repartitioned DN event, validated before its hop.</param>
/// <param name="Event">The validated event, when there is one.</param>
/// <param name="SendToDn">The event changes its DN, whose store this step was not given: the pipeline repartitions it by DN.</param>
/// <param name="Change">The agent state change the step made, for the change topic; null when it made none (always for a duplicate).</param>
public readonly record struct RecordResult(RecordOutcome Outcome, IntakeResult? Intake, VoiceEvent? Event, bool SendToDn, AgentStateChange? Change = null);
