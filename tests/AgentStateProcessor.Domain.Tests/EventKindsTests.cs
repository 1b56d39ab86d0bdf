using AgentStateProcessor.Domain.Events;

namespace AgentStateProcessor.Domain.Tests;

public class EventKindsTests
{
    [Theory]
    [InlineData("EventAgentLogin", EventKind.AgentLogin, true, true)]
    [InlineData("EventAgentLogout", EventKind.AgentLogout, true, true)]
    [InlineData("EventAgentReady", EventKind.AgentReady, true, true)]
    [InlineData("EventAgentNotReady", EventKind.AgentNotReady, true, true)]
    [InlineData("EventAgentReserved", EventKind.AgentReserved, true, true)]
    [InlineData("EventDNOutOfService", EventKind.DnOutOfService, false, true)]
    [InlineData("EventDNBackInService", EventKind.DnBackInService, false, true)]
    [InlineData("EventDNDOn", EventKind.DndOn, false, true)]
    [InlineData("EventDNDOff", EventKind.DndOff, false, true)]
    [InlineData("EventForwardSet", EventKind.ForwardSet, false, true)]
    [InlineData("EventForwardCancel", EventKind.ForwardCancel, false, true)]
    [InlineData("EventOffHook", EventKind.OffHook, false, true)]
    [InlineData("EventOnHook", EventKind.OnHook, false, true)]
    [InlineData("EventMuteOn", EventKind.MuteOn, false, true)]
    [InlineData("EventMuteOff", EventKind.MuteOff, false, true)]
    [InlineData("EventRinging", EventKind.NoStateRule, false, false)]
    [InlineData("EventRegistered", EventKind.NoStateRule, false, false)]
    [InlineData("EventQueueLogout", EventKind.QueueLogout, true, true)]
    [InlineData("EventMessageWaitingOn", EventKind.MessageWaitingOn, false, true)]
    [InlineData("EventMessageWaitingOff", EventKind.MessageWaitingOff, false, true)]
    [InlineData("EventMonitoringNextCall", EventKind.NoStateRule, false, false)]
    [InlineData("EventListenDisconnected", EventKind.NoStateRule, false, false)]
    [InlineData("eventagentlogin", EventKind.NoStateRule, false, false)]
    [InlineData("", EventKind.NoStateRule, false, false)]
    public void Each_event_name_maps_to_its_kind_and_the_states_it_changes(string name, EventKind kind, bool changesAgent, bool changesDn)
    {
        Assert.Equal(kind, EventKinds.Of(name));
        Assert.Equal(changesAgent, kind.ChangesAgent());
        Assert.Equal(changesDn, kind.ChangesDn());
    }

    [Fact]
    public void Every_kind_with_a_state_rule_has_the_name_that_maps_back_to_it()
    {
        Assert.Equal(Enum.GetValues<EventKind>().Length - 1, EventKinds.WithStateRule.Count);
        foreach (var kind in EventKinds.WithStateRule)
        {
            Assert.Equal(kind, EventKinds.Of(EventKinds.NameOf(kind)));
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => EventKinds.NameOf(EventKind.NoStateRule));
    }
}
