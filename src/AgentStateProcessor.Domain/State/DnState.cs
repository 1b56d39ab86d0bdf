using System.Collections.Immutable;
using AgentStateProcessor.Domain.Events;

namespace AgentStateProcessor.Domain;

/// <summary>The offset of the last input record of one input partition applied to a DN.</summary>
public readonly record struct PartitionOffset(int Partition, long Offset);

/// <summary>
/// What is known about one directory number. A DN is in service until told otherwise: the
/// reference documents say to assume so without EventDNOutOfService.
/// </summary>
/// <param name="MessageWaiting">A message waits for the DN (EventMessageWaitingOn, until EventMessageWaitingOff).</param>
/// <param name="InputPositions">
/// Per input partition, the last input offset applied, sorted by partition. A DN hears from
/// agents on many input partitions, so one position cannot say which events it already reflects.
/// </param>
public sealed record DnState(
    string TenantId,
    string Dn,
    bool InService,
    bool Dnd,
    string? ForwardTo,
    bool OffHook,
    ImmutableArray<string> MutedConnections,
    bool MessageWaiting,
    string? AgentId,
    ImmutableArray<string> Queues,
    long UpdatedAt,
    string LastEvent,
    long EventCount,
    InputPosition Source,
    ImmutableArray<PartitionOffset> InputPositions) : IKeyedState
{
    public string Key => StateKeys.Of(TenantId, Dn);

    string IKeyedState.Id => Dn;

    public static DnState Initial(string tenantId, string dn, long timeMicros, InputPosition position) =>
        new(tenantId, dn, InService: true, Dnd: false, ForwardTo: null, OffHook: false,
            MutedConnections: [], MessageWaiting: false, AgentId: null, Queues: [], UpdatedAt: timeMicros, LastEvent: "",
            EventCount: 0, Source: position, InputPositions: []);

    /// <summary>The last offset applied from <paramref name="partition"/>, or -1 when none was.</summary>
    public long LastOffsetOf(int partition)
    {
        foreach (var position in InputPositions)
        {
            if (position.Partition == partition) return position.Offset;
        }
        return -1;
    }

    internal ImmutableArray<PartitionOffset> WithInputPosition(int partition, long offset)
    {
        for (var i = 0; i < InputPositions.Length; i++)
        {
            if (InputPositions[i].Partition == partition) return InputPositions.SetItem(i, new(partition, offset));
            if (InputPositions[i].Partition > partition) return InputPositions.Insert(i, new(partition, offset));
        }
        return InputPositions.Add(new(partition, offset));
    }
}
