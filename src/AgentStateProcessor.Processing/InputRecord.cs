using AgentStateProcessor.Domain.Events;

namespace AgentStateProcessor.Processing;

/// <summary>
/// One record of the input topic as the core sees it: key, value bytes, record timestamp and where
/// it was read. For DN events folded from the repartition topic, the original input's key,
/// timestamp and position.
/// </summary>
public sealed record InputRecord(string? Key, ReadOnlyMemory<byte> Value, long TimestampMicros, InputPosition Position);
