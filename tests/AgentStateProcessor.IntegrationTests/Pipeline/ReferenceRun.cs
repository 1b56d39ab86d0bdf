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
    private readonly Dictionary<(string Key, InputPosition Source), AgentState> _agentVersions = [];
    private readonly Dictionary<(string Key, InputPosition Source), DnState> _dnVersions = [];

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
            if (result is { Outcome: RecordOutcome.Applied, Event: { } applied }) KeepVersions(applied, position);
        }
    }

    /// <summary>The states this record changed, each under the position it now names as its source.</summary>
    private void KeepVersions(VoiceEvent applied, InputPosition position)
    {
        if (applied.AgentKey is { } agentKey && _processor.Agents.Get(agentKey) is { } agent && agent.Source == position) _agentVersions[(agentKey, position)] = agent;
        if (applied.DnKey is { } dnKey && _processor.Dns.Get(dnKey) is { } dn && dn.Source == position) _dnVersions[(dnKey, position)] = dn;
    }

    /// <summary>
    /// The agent's state right after the record at <paramref name="source"/> changed it: what any snapshot of
    /// <paramref name="key"/> naming that source must hold, however many restarts it went through. Null when that record never changed it.
    /// </summary>
    public AgentState? AgentVersion(string key, InputPosition source) => _agentVersions.GetValueOrDefault((key, source));

    /// <inheritdoc cref="AgentVersion"/>
    public DnState? DnVersion(string key, InputPosition source) => _dnVersions.GetValueOrDefault((key, source));

    public IReadOnlyDictionary<string, AgentState> Agents => _processor.Agents.All.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);

    public IReadOnlyDictionary<string, DnState> Dns => _processor.Dns.All.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);

    public IReadOnlyList<ExpectedDeadLetter> DeadLetters => _deadLetters;

    /// <summary>The agent state changes, in the order of the records given.</summary>
    public IReadOnlyList<AgentStateChange> Changes => _changes;

    public ProcessingTotals Totals => _processor.Totals;
}
