using AgentStateProcessor.Domain;
using AgentStateProcessor.Processing;
using AgentStateProcessor.Processing.Repartition;
using AgentStateProcessor.Processing.Snapshots;
using Avro;
using Avro.Generic;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace AgentStateProcessor.Kafka;

/// <summary>
/// The task of a repartition partition: decodes the DN events the agent side validated and folds
/// them into its DN store. A record it cannot decode is logged and counted, never folded.
/// </summary>
internal sealed class DnTask(TopicPartition source, string snapshotTopic, long start, bool positionStored, TaskContext context)
    : StreamTask<DnState>(TaskKind.Dn, source, snapshotTopic, start, positionStored, context)
{
    protected override RecordSchema SnapshotSchema => SnapshotSchemas.Dn;
    protected override GenericRecord ToSnapshot(DnState state) => SnapshotMapper.ToRecord(state);
    protected override DnState FromSnapshot(GenericRecord snapshot) => SnapshotMapper.ToDnState(snapshot);

    protected override void ProcessRecord(ConsumeResult<byte[]?, byte[]?> record)
    {
        if (RepartitionRecord.Decode(record.Message.Value, out var error) is not { } repartitioned)
        {
            // Only this processor writes the repartition topic: another writer, or a format version
            // newer than this build, put it there.
            Context.Logger.LogWarning("Repartition record {Topic}[{Partition}]@{Offset} cannot be decoded ({Reason}); ignored",
                record.Topic, record.Partition.Value, record.Offset.Value, error);
            Context.Metrics.UndecodableRepartitionRecord();
            return;
        }
        var result = RecordProcessor.ProcessRepartitioned(repartitioned.Event, Store);
        Context.Metrics.Count(Kind, result);
        if (result.Outcome == RecordOutcome.Applied) Changed(repartitioned.Event.DnKey!, repartitioned.InputTimestampMicros / 1000);
    }
}
