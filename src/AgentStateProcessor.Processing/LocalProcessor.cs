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
    private readonly RecordProcessor _step = new(intake);

    public StateStore<AgentState> Agents { get; } = new();
    public StateStore<DnState> Dns { get; } = new();
    public ProcessingTotals Totals { get; } = new();

    public RecordResult Process(InputRecord record)
    {
        var result = _step.ProcessInput(record, Agents, Dns);
        Totals.Count(result);
        return result;
    }
}
