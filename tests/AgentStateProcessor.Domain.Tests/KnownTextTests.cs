using AgentStateProcessor.Domain.Fold;

namespace AgentStateProcessor.Domain.Tests;

/// <summary>
/// Every record brings its own strings. Where an event repeats text a state already holds, the
/// fold keeps the state's instance, so states do not each keep a copy per event; the values, and
/// so the rules, are the same either way.
/// </summary>
public class KnownTextTests
{
    /// <summary>An equal string that is not the same instance, as a fresh record brings.</summary>
    private static string Fresh(string text) => new(text.AsSpan());

    [Fact]
    public void A_dn_keeps_its_agent_id_instance_when_later_events_name_the_same_agent()
    {
        var login = DnFold.Apply(null, Events.Login(agent: Fresh("a1"), dn: "1001", offset: 1)).State!;
        var ready = DnFold.Apply(login, Events.Ready(agent: Fresh("a1"), dn: "1001", offset: 2)).State!;
        var other = DnFold.Apply(ready, Events.Ready(agent: "a2", dn: "1001", offset: 3)).State!;

        Assert.Same(login.AgentId, ready.AgentId);
        Assert.Equal("a2", other.AgentId);
    }

    [Fact]
    public void An_agent_keeps_its_dn_instance_on_a_second_login_from_the_same_dn()
    {
        var first = AgentFold.Apply(null, Events.Login(dn: Fresh("1001"), queue: "Q1", offset: 1)).State!;
        var second = AgentFold.Apply(first, Events.Login(dn: Fresh("1001"), queue: "Q2", offset: 2)).State!;
        var moved = AgentFold.Apply(second, Events.Login(dn: "1002", queue: "Q3", offset: 3)).State!;

        Assert.Same(first.Dn, second.Dn);
        Assert.Equal("1002", moved.Dn);
    }

    [Fact]
    public void A_dn_keeps_its_forward_target_instance_when_set_again_to_the_same_target()
    {
        var set = DnFold.Apply(null, Events.Forward(Fresh("+15550001"), offset: 1)).State!;
        var again = DnFold.Apply(set, Events.Forward(Fresh("+15550001"), offset: 2)).State!;
        var kept = DnFold.Apply(again, Events.Forward(null, offset: 3)).State!;

        Assert.Same(set.ForwardTo, again.ForwardTo);
        Assert.Same(set.ForwardTo, kept.ForwardTo);
    }

    [Theory]
    [InlineData(null, null, null)]
    [InlineData("x", null, "x")]
    [InlineData(null, "y", "y")]
    [InlineData("x", "y", "y")]
    public void Update_is_the_incoming_text_when_given_else_the_known(string? known, string? incoming, string? expected)
    {
        Assert.Equal(expected, StateText.Update(known, incoming));
    }
}
