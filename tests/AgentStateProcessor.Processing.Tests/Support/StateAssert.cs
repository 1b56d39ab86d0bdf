using AgentStateProcessor.Domain;

namespace AgentStateProcessor.Processing.Tests.Support;

/// <summary>
/// Field-by-field state equality: the records' own equality compares ImmutableArray fields by
/// reference, so two equal states rebuilt from bytes would differ.
/// </summary>
internal static class StateAssert
{
    public static void Equal(AgentState expected, AgentState actual)
    {
        Assert.Equal(expected.Queues.ToArray(), actual.Queues.ToArray());
        Assert.Equal(expected with { Queues = [] }, actual with { Queues = [] });
    }

    public static void Equal(DnState expected, DnState actual)
    {
        Assert.Equal(expected.Queues.ToArray(), actual.Queues.ToArray());
        Assert.Equal(expected.MutedConnections.ToArray(), actual.MutedConnections.ToArray());
        Assert.Equal(expected.InputPositions.ToArray(), actual.InputPositions.ToArray());
        Assert.Equal(expected with { Queues = [], MutedConnections = [], InputPositions = [] },
            actual with { Queues = [], MutedConnections = [], InputPositions = [] });
    }
}
