using System.Text;
using AgentStateProcessor.Domain;
using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.Processing;
using AgentStateProcessor.Processing.Repartition;
using AgentStateProcessor.Processing.Snapshots;
using Avro;
using Avro.Generic;
using Confluent.Kafka;

namespace AgentStateProcessor.Kafka;

/// <summary>
/// The task of an input partition: runs the per-record step on each input record, folds agent
/// events into its agent store, sends the agent state changes they make, dead-letters invalid
/// records and sends DN events on to the DN side.
/// </summary>
internal sealed class AgentTask(TopicPartition source, string snapshotTopic, long start, bool positionStored, TaskContext context)
    : StreamTask<AgentState>(TaskKind.Agent, source, snapshotTopic, start, positionStored, context)
{
    protected override RecordSchema SnapshotSchema => SnapshotSchemas.Agent;
    protected override GenericRecord ToSnapshot(AgentState state) => SnapshotMapper.ToRecord(state);
    protected override AgentState FromSnapshot(GenericRecord snapshot) => SnapshotMapper.ToAgentState(snapshot);

    protected override bool FromUncommittedWork(AgentState state) =>
        state.Source.Partition == Source.Partition.Value && state.Source.Offset >= CommittedOffset
        && string.Equals(state.Source.Topic, Source.Topic, StringComparison.Ordinal);

    protected override void ProcessRecord(ConsumeResult<byte[]?, byte[]?> record)
    {
        var message = record.Message;
        var timestampMs = message.Timestamp.UnixTimestampMs;
        var input = new InputRecord(
            Key: message.Key is null ? null : Encoding.UTF8.GetString(message.Key),
            Value: message.Value ?? [],
            TimestampMicros: timestampMs * 1000,
            Position: new InputPosition(record.Topic, record.Partition.Value, record.Offset.Value));
        var result = Context.Step.ProcessInput(input, Store, dns: null);
        Context.Metrics.Count(Kind, result);
        switch (result.Outcome)
        {
            case RecordOutcome.DeadLettered:
                Context.Collector.SendDeadLetter(record, result.Intake!);
                Context.Listener.DeadLettered(result.Intake!.Code!);
                return;
            case RecordOutcome.Applied:
                Changed(result.Event!.AgentKey!, timestampMs);
                if (result.Change is { } change) Context.Collector.SendChange(Source.Partition.Value, change, Context.SnapshotFormat);
                break;
        }
        if (result.SendToDn)
        {
            var e = result.Event!;
            Context.Collector.SendToDn(e.DnKey!, new RepartitionRecord(e, input.Key, input.TimestampMicros));
        }
    }

    public void CountByState(Dictionary<AgentStatus, int> counts)
    {
        // States, not All: All builds a key string per state, and this runs every commit.
        foreach (var agent in Store.States) counts[agent.State] = counts.GetValueOrDefault(agent.State) + 1;
    }
}
