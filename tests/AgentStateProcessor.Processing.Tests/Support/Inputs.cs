using System.Text;
using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.Processing.Intake;
using AgentStateProcessor.Schemas;

namespace AgentStateProcessor.Processing.Tests.Support;

/// <summary>Input records and intakes as the Kafka edge would build them.</summary>
internal static class Inputs
{
    public const string Topic = "voice-agentstate";
    public const int MaxMessageBytes = 64 * 1024;

    public static EventIntake Intake(FramedAvroDecoder? decodeFramedAvro = null) =>
        new(EventSchemaSet.LoadEmbedded(), MaxMessageBytes, decodeFramedAvro);

    public static InputRecord Json(string json, string? key = "tenant1:agent42", long timestampMicros = 0, int partition = 0, long offset = 0) =>
        Bytes(Encoding.UTF8.GetBytes(json), key, timestampMicros, partition, offset);

    public static InputRecord Bytes(byte[] value, string? key = "tenant1:agent42", long timestampMicros = 0, int partition = 0, long offset = 0) =>
        new(key, value, timestampMicros, new InputPosition(Topic, partition, offset));

    public static long Micros(DateTimeOffset instant) => (instant - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;
}
