using AgentStateProcessor.Domain;
using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.Processing;
using AgentStateProcessor.Processing.Intake;
using AgentStateProcessor.Schemas;

namespace AgentStateProcessor.IntegrationTests.Pipeline;

/// <summary>A dead letter the reference expects: the input record and why it is one.</summary>
internal sealed record ExpectedDeadLetter(ProducedRecord Record, string Code, string Reason);

/// <summary>
/// The oracle: <see cref="LocalProcessor"/> (the same fold without Kafka) over the records the
/// broker stored, at the positions it gave them. Every DN of the simulation hears from one agent,
/// so the order of records across input partitions cannot change a DN's state either. Its intake
/// is the host's: agent events need the <c>tenant:agent</c> key.
/// </summary>
internal sealed class ReferenceRun
{
    private readonly LocalProcessor _processor;
    private readonly List<ExpectedDeadLetter> _deadLetters = [];
    private readonly List<AgentStateChange> _changes = [];

    /// <param name="decodeFramedAvro">The schema registry's decoding, for Confluent-framed input.</param>
    public ReferenceRun(int maxMessageBytes = 1_000_000, FramedAvroDecoder? decodeFramedAvro = null) =>
        _processor = new LocalProcessor(new EventIntake(EventSchemaSet.LoadEmbedded(), maxMessageBytes, decodeFramedAvro, requireAgentKey: true));

    public static ReferenceRun Of(IEnumerable<ProducedRecord> records, int maxMessageBytes = 1_000_000, FramedAvroDecoder? decodeFramedAvro = null)
    {
        var run = new ReferenceRun(maxMessageBytes, decodeFramedAvro);
        run.Process(records);
        return run;
    }

    public void Process(IEnumerable<ProducedRecord> records)
    {
        foreach (var record in records)
        {
            var position = new InputPosition(record.Position.Topic, record.Position.Partition.Value, record.Position.Offset.Value);
            var result = _processor.Process(new InputRecord(record.Key, record.Value ?? [], record.TimestampMs * 1000, position));
            if (result is { Outcome: RecordOutcome.DeadLettered, Intake: { } intake }) _deadLetters.Add(new ExpectedDeadLetter(record, intake.Code!, intake.Reason!));
            if (result.Change is { } change) _changes.Add(change);
        }
    }

    public IReadOnlyDictionary<string, AgentState> Agents => _processor.Agents.All.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);

    public IReadOnlyDictionary<string, DnState> Dns => _processor.Dns.All.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);

    public IReadOnlyList<ExpectedDeadLetter> DeadLetters => _deadLetters;

    /// <summary>The agent state changes, in the order of the records given.</summary>
    public IReadOnlyList<AgentStateChange> Changes => _changes;

    public ProcessingTotals Totals => _processor.Totals;
}
