using AgentStateProcessor.Domain;
using AgentStateProcessor.Processing.Intake;
using AgentStateProcessor.Processing.Stores;

namespace AgentStateProcessor.Processing;

/// <summary>
/// The whole fold in one process, without Kafka: agent and DN state side by side, so DN events
/// need no repartition. It backs the replay command and is the oracle the Kafka pipeline's
/// results are compared with.
/// </summary>
public sealed class LocalProcessor(EventIntake intake)
{
    public StateStore<AgentState> Agents { get; } = new();
    public StateStore<DnState> Dns { get; } = new();
    public ProcessingTotals Totals { get; } = new();

    public (RecordOutcome Outcome, IntakeResult Intake) Process(InputRecord record)
    {
        var result = intake.Read(record);
        if (result.Event is not { } e) return (Totals.Count(result), result);
        var agent = Agents.Fold(e);
        var dn = Dns.Fold(e);
        return (Totals.Count(result, agent, dn), result);
    }
}
