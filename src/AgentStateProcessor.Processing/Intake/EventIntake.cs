using AgentStateProcessor.Domain;
using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.Schemas;

namespace AgentStateProcessor.Processing.Intake;

/// <summary>
/// The one place that decides what an input record is: an event to fold, a record to skip, or a
/// dead letter with a code and a reason. It never throws on bad input. Skipped are events no table
/// describes (<see cref="IntakeCodes.UnknownEvent"/>) and valid extension events without a state rule
/// (the monitoring and listen events), which are counted under their own name (docs/fold-rules.md).
/// </summary>
/// <param name="decodeFramedAvro">
/// Decodes a Confluent-framed Avro value (first byte 0, at least 5 bytes) into a record of its
/// writer's schema; null when no schema registry is configured (then such values are dead letters).
/// </param>
/// <param name="requireAgentKey">
/// Agent events must carry the <c>tenant:agent</c> message key (code <c>no-agent-key</c>
/// otherwise). The Kafka pipeline folds an agent where its input partition is consumed, which is
/// only sound when every event of the agent is on one partition, as the key guarantees. Without a
/// partitioned input (replay), CustomerID:AgentID may stand in for the key.
/// </param>
/// <param name="internPool">
/// Where events take their repeating text (tenant, queue, reason code, topic) from;
/// <see cref="InternPool.Shared"/> unless given, so that folded and restored states share it.
/// </param>
public sealed class EventIntake(EventSchemaSet schemas, int maxMessageBytes, FramedAvroDecoder? decodeFramedAvro = null,
    bool requireAgentKey = false, InternPool? internPool = null)
{
    private readonly InternPool _pool = internPool ?? InternPool.Shared;
    private readonly EventValidator _validator = new(schemas);
    private readonly HashSet<string> _skippedExtensions =
        schemas.ExtensionEventNames.Where(name => EventKinds.Of(name) == EventKind.NoStateRule).ToHashSet(StringComparer.Ordinal);

    public IntakeResult Read(InputRecord input)
    {
        var value = input.Value.Span;
        if (value.Length > maxMessageBytes)
        {
            return IntakeResult.Dead(IntakeCodes.TooLarge, $"value has {value.Length} bytes, more than the limit of {maxMessageBytes}");
        }
        if (value.IsEmpty) return IntakeResult.Dead(IntakeCodes.EmptyValue, "value is empty (a tombstone is not an event)");

        return IsConfluentFramed(value) ? ReadAvro(input) : ReadJson(value, input);
    }

    /// <summary>The Confluent wire format's magic byte and room for its schema id; no JSON value starts with a 0 byte.</summary>
    private static bool IsConfluentFramed(ReadOnlySpan<byte> value) => value.Length >= 5 && value[0] == 0;

    private IntakeResult ReadJson(ReadOnlySpan<byte> value, InputRecord input) => Judge(_validator.Validate(value), input);

    private IntakeResult ReadAvro(InputRecord input)
    {
        if (decodeFramedAvro is null)
        {
            return IntakeResult.Dead(IntakeCodes.UnknownSchemaId, "value is Confluent-framed Avro but no schema registry is configured");
        }
        var decoded = decodeFramedAvro(input.Value, input.Position.Topic);
        return decoded.Record is { } record
            ? Judge(_validator.Validate(record), input)
            : IntakeResult.Dead(decoded.Code!, decoded.Reason!);
    }

    private IntakeResult Judge(ValidationResult result, InputRecord input) => result.Outcome switch
    {
        ValidationOutcome.Valid => Map(result.Event!.Value, input, result.UnlistedAttributes.Count),
        ValidationOutcome.UnknownEvent => UnknownEvent(result.EventName),
        _ => IntakeResult.Dead(result.Error!.Code, result.Error.Message),
    };

    private IntakeResult Map(in ValidatedEvent validated, InputRecord input, int unlistedAttributeCount)
    {
        if (_skippedExtensions.Contains(validated.Name))
        {
            return IntakeResult.Skip(validated.Name,
                $"{validated.Name}: an extension event with no state meaning (monitoring and listen concern calls, which the snapshots do not hold)");
        }
        if (VoiceEventMapper.Map(validated, input, _pool) is not { } e)
        {
            return IntakeResult.Dead(IntakeCodes.NoTenant,
                $"{validated.Name}: the record has no 'tenant:agent' key and the event no CustomerID, so it belongs to no tenant");
        }
        if (requireAgentKey && e.Kind.ChangesAgent() && (input.Key is null || StateKeys.SeparatorOf(input.Key) < 0))
        {
            return IntakeResult.Dead(IntakeCodes.NoAgentKey,
                $"{e.Name}: an agent event needs the 'tenant:agent' message key; the input is partitioned by agent, and without the key this agent's events could land on several partitions and be folded apart");
        }
        return IntakeResult.Valid(e, unlistedAttributeCount);
    }

    private static IntakeResult UnknownEvent(string? name) =>
        IntakeResult.Skip(IntakeCodes.UnknownEvent, $"event '{name}' is described neither by the reference documents nor by the extension tables");
}
