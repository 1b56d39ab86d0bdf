using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.Kafka;
using AgentStateProcessor.Processing;
using AgentStateProcessor.Processing.Intake;
using AgentStateProcessor.Schemas;
using AgentStateProcessor.Simulation;

namespace AgentStateProcessor.Benchmarks;

/// <summary>
/// Input the micro-benchmarks share: the simulated contact center's valid records, placed on input
/// partitions the way the input topic's key partitioning would place them.
/// </summary>
internal static class SimulatedWorkload
{
    public const string InputTopic = "voice-agentstate";
    public const int InputPartitions = 6;
    public const int MaxMessageBytes = 1_000_000;

    public static ContactCenterSimulatorOptions Options(int agents) => new() { AgentCount = agents };

    /// <summary>The first <paramref name="count"/> valid records of the default mix (invalid and unknown events dropped).</summary>
    public static List<SimulatedRecord> ValidRecords(int count, int agents) =>
        new ContactCenterSimulator(Options(agents)).Generate()
            .Where(record => record.Kind == SimulatedRecordKind.Valid)
            .Take(count)
            .ToList();

    /// <summary>Input records with increasing offsets per partition, as a consumer of the input topic would see them.</summary>
    public static List<InputRecord> ToInputRecords(IEnumerable<SimulatedRecord> records)
    {
        var nextOffsets = new long[InputPartitions];
        var inputs = new List<InputRecord>();
        foreach (var record in records)
        {
            var partition = record.Key is null ? 0 : KeyPartitioner.PartitionOf(record.Key, InputPartitions);
            var position = new InputPosition(InputTopic, partition, nextOffsets[partition]++);
            inputs.Add(new InputRecord(record.Key, record.Value, record.Timestamp.ToUnixTimeMilliseconds() * 1000, position));
        }
        return inputs;
    }

    public static EventIntake NewIntake() => new(EventSchemaSet.LoadEmbedded(), MaxMessageBytes);

    /// <summary>Runs intake over records that must all be valid events; anything else is a broken workload.</summary>
    public static VoiceEvent[] ToEvents(EventIntake intake, IEnumerable<InputRecord> inputs) =>
        inputs.Select(input => intake.Read(input) is { Event: { } e }
                ? e
                : throw new InvalidOperationException($"workload record at {input.Position} is not a valid event"))
            .ToArray();
}
