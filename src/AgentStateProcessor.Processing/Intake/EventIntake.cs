using AgentStateProcessor.Avro;
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
public sealed class EventIntake(EventSchemaSet schemas, int maxMessageBytes, Func<int, AvroSchema?>? writerSchemaById = null)
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

        if (decoded is not GenericRecord record)
        {
            return IntakeResult.Dead(IntakeCodes.NotAnEventRecord, $"schema id {schemaId} is not a record schema");
        }
        return schemas.Find(record.Schema.Name) is null
            ? UnknownEvent(record.Schema.Name)
            : Map(record, input, unlistedAttributeCount: 0);
    }

    private static IntakeResult Map(GenericRecord record, InputRecord input, int unlistedAttributeCount) =>
        VoiceEventMapper.Map(record, input) is { } e
            ? IntakeResult.Valid(e, unlistedAttributeCount)
            : IntakeResult.Dead(IntakeCodes.NoTenant,
                $"{record.Schema.Name}: the record has no 'tenant:agent' key and the event no CustomerID, so it belongs to no tenant");

    private static IntakeResult UnknownEvent(string? name) =>
        IntakeResult.Skip(IntakeCodes.UnknownEvent, $"event '{name}' is not described by the reference documents");
}
