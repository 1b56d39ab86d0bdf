using AgentStateProcessor.Avro;
using AgentStateProcessor.Domain;
using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.Schemas;

namespace AgentStateProcessor.Processing.Intake;

/// <summary>
/// The one place that decides what an input record is: an event to fold, a record to skip, or a
/// dead letter with a code and a reason. It never throws on bad input.
/// </summary>
/// <param name="writerSchemaById">
/// Resolves the schema id of a Confluent-framed Avro value; null when no schema registry is
/// configured (then such values are dead letters).
/// </param>
/// <param name="requireAgentKey">
/// Agent events must carry the <c>tenant:agent</c> message key (code <c>no-agent-key</c>
/// otherwise). The Kafka pipeline folds an agent where its input partition is consumed, which is
/// only sound when every event of the agent is on one partition, as the key guarantees. Without a
/// partitioned input (replay), CustomerID:AgentID may stand in for the key.
/// </param>
public sealed class EventIntake(EventSchemaSet schemas, int maxMessageBytes, Func<int, AvroSchema?>? writerSchemaById = null,
    bool requireAgentKey = false)
{
    private readonly EventValidator _validator = new(schemas);

    public IntakeResult Read(InputRecord input)
    {
        var value = input.Value.Span;
        if (value.Length > maxMessageBytes)
        {
            return IntakeResult.Dead(IntakeCodes.TooLarge, $"value has {value.Length} bytes, more than the limit of {maxMessageBytes}");
        }
        if (value.IsEmpty) return IntakeResult.Dead(IntakeCodes.EmptyValue, "value is empty (a tombstone is not an event)");

        return ConfluentWireFormat.TryParse(value, out var schemaId, out var body)
            ? ReadAvro(schemaId, body, input)
            : ReadJson(value, input);
    }

    private IntakeResult ReadJson(ReadOnlySpan<byte> value, InputRecord input)
    {
        var result = _validator.Validate(value);
        return result.Outcome switch
        {
            ValidationOutcome.Valid => Map(result.Record!, input, result.UnlistedAttributes.Count),
            ValidationOutcome.UnknownEvent => UnknownEvent(result.EventName),
            _ => IntakeResult.Dead(result.Error!.Code, result.Error.Message),
        };
    }

    private IntakeResult ReadAvro(int schemaId, ReadOnlySpan<byte> body, InputRecord input)
    {
        var writerSchema = writerSchemaById?.Invoke(schemaId);
        if (writerSchema is null)
        {
            return IntakeResult.Dead(IntakeCodes.UnknownSchemaId,
                writerSchemaById is null
                    ? $"value is Confluent-framed Avro (schema id {schemaId}) but no schema registry is configured"
                    : $"schema id {schemaId} is not known to the schema registry");
        }

        object? decoded;
        try
        {
            decoded = AvroBinary.Decode(writerSchema, body);
        }
        catch (AvroException e)
        {
            return IntakeResult.Dead(IntakeCodes.AvroDecodeFailed, $"schema id {schemaId}: {e.Message}");
        }

        if (decoded is not GenericRecord written)
        {
            return IntakeResult.Dead(IntakeCodes.NotAnEventRecord, $"schema id {schemaId} is not a record schema");
        }
        if (schemas.Find(written.Schema.Name) is not { } eventSchema) return UnknownEvent(written.Schema.Name);
        var record = Project(written, eventSchema);
        var unlisted = written.Schema.Fields.Count(f => eventSchema.GetField(f.Name) is null);
        return Nonconformity(record) ?? Map(record, input, unlisted);
    }

    /// <summary>
    /// A writer schema is the producer's, not ours: the record must still satisfy the event's
    /// table (mandatory attributes present, types as ours), as a JSON event must.
    /// </summary>
    private static IntakeResult? Nonconformity(GenericRecord record)
    {
        foreach (var field in record.Schema.Fields)
        {
            if (record[field.Position] is null && !AcceptsNull(field.Schema))
            {
                return IntakeResult.Dead(ValidationErrorCodes.MissingAttribute,
                    $"{record.Schema.Name}: mandatory attribute '{field.Name}' is missing");
            }
        }
        try
        {
            AvroBinary.Encode(record.Schema, record);
            return null;
        }
        catch (AvroException e)
        {
            return IntakeResult.Dead(ValidationErrorCodes.WrongType, $"{record.Schema.Name}: {e.Message}");
        }
    }

    /// <summary>The written record's values under our event schema's fields (by name); what our schema lacks is left out.</summary>
    private static GenericRecord Project(GenericRecord written, RecordSchema eventSchema)
    {
        var record = new GenericRecord(eventSchema);
        foreach (var field in eventSchema.Fields)
        {
            if (written.Schema.GetField(field.Name) is { } writtenField) record[field.Position] = written[writtenField.Position];
        }
        return record;
    }

    private static bool AcceptsNull(AvroSchema schema) =>
        schema.Type == AvroType.Null || schema is UnionSchema union && union.Branches.Any(b => b.Type == AvroType.Null);

    private IntakeResult Map(GenericRecord record, InputRecord input, int unlistedAttributeCount)
    {
        if (VoiceEventMapper.Map(record, input) is not { } e)
        {
            return IntakeResult.Dead(IntakeCodes.NoTenant,
                $"{record.Schema.Name}: the record has no 'tenant:agent' key and the event no CustomerID, so it belongs to no tenant");
        }
        if (requireAgentKey && e.Kind.ChangesAgent() && (input.Key is null || !StateKeys.TrySplit(input.Key, out _, out _)))
        {
            return IntakeResult.Dead(IntakeCodes.NoAgentKey,
                $"{e.Name}: an agent event needs the 'tenant:agent' message key; the input is partitioned by agent, and without the key this agent's events could land on several partitions and be folded apart");
        }
        return IntakeResult.Valid(e, unlistedAttributeCount);
    }

    private static IntakeResult UnknownEvent(string? name) =>
        IntakeResult.Skip(IntakeCodes.UnknownEvent, $"event '{name}' is not described by the reference documents");
}
