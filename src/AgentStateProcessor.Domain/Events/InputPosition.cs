namespace AgentStateProcessor.Domain.Events;

/// <summary>Where an input record was read: the fold uses it to recognise events a key already reflects.</summary>
public readonly record struct InputPosition(string Topic, int Partition, long Offset)
{
    public override string ToString() => $"{Topic}[{Partition}]@{Offset}";
}
