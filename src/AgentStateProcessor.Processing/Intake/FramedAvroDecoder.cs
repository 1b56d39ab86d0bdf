using Avro.Generic;

namespace AgentStateProcessor.Processing.Intake;

/// <summary>
/// Decodes an input value in the Confluent wire format (magic byte 0, 4-byte schema id, Avro body) into a record
/// of its writer's schema. The pipeline's implementation asks the schema registry through Confluent's deserializer.
/// Returns a failure for a value that is bad in itself (unknown schema id, undecodable body, not a record); throws
/// when the registry cannot be asked, because retrying later may succeed and the record must not be dead-lettered.
/// </summary>
public delegate FramedAvroResult FramedAvroDecoder(ReadOnlyMemory<byte> value, string topic);

/// <summary>A decoded record, or the intake code and reason of why the value could not be decoded.</summary>
public sealed record FramedAvroResult(GenericRecord? Record, string? Code, string? Reason)
{
    public static FramedAvroResult Decoded(GenericRecord record) => new(record, null, null);

    /// <param name="code">One of <see cref="IntakeCodes"/>: unknown-schema-id, avro-decode-failed, not-an-event-record.</param>
    public static FramedAvroResult Failed(string code, string reason) => new(null, code, reason);
}
