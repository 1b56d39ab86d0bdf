using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.Domain.Fold;

namespace AgentStateProcessor.Domain.Tests;

/// <summary>
/// Properties that hold for any input: many seeded random streams, each folded event by event.
/// A failure names the seed, the stream and the event, so it can be replayed.
/// </summary>
public class FoldPropertyTests
{
    private const int StreamsPerSeed = 200;
    private const int EventsPerStream = 200;

    public static TheoryData<int> Seeds => [1, 7, 42, 2024, 65537];

    [Fact]
    public void The_random_streams_exercise_every_kind_every_outcome_backward_clocks_and_missing_fields()
    {
        var kinds = new HashSet<EventKind>();
        var outcomes = new HashSet<(string Fold, FoldOutcome Outcome)>();
        var backwardClocks = 0;
        var missing = new HashSet<string>();
        ForEachStep(1, (where, step) =>
        {
            kinds.Add(step.Event.Kind);
            outcomes.Add(("agent", step.Agent.Outcome));
            outcomes.Add(("dn", step.Dn.Outcome));
            if (step.AgentBefore is { } agent && step.Event.TimeMicros < agent.UpdatedAt) backwardClocks++;
            if (step.Event.AgentId is null) missing.Add("AgentId");
            if (step.Event.ThisDn is null) missing.Add("ThisDn");
            if (step.Event.ThisQueue is null) missing.Add("ThisQueue");
            if (step.Event.OtherDn is null) missing.Add("OtherDn");
            if (step.Event.ConnId is null) missing.Add("ConnId");
        });

        Assert.Equal(Enum.GetValues<EventKind>().Length, kinds.Count);
        Assert.Equal(6, outcomes.Count);
        Assert.True(backwardClocks > 100, $"only {backwardClocks} events older than their agent's last update");
        Assert.Equal(5, missing.Count);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Every_state_stays_well_formed_after_every_event(int seed)
    {
        ForEachStep(seed, (where, step) =>
        {
            if (step.Agent.State is { } agent) AssertWellFormed(agent, step.Event.AgentKey!, where);
            if (step.Dn.State is { } dn) AssertWellFormed(dn, step.Event.DnKey!, where);
        });
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void StateSince_loggedInSince_and_updatedAt_never_move_backwards(int seed)
    {
        ForEachStep(seed, (where, step) =>
        {
            if (step.AgentBefore is { } before && step.Agent.State is { } after)
            {
                Assert.True(after.StateSince >= before.StateSince, $"{where}: stateSince went back");
                Assert.True(after.UpdatedAt >= before.UpdatedAt, $"{where}: agent updatedAt went back");
                if (before.LoggedInSince is { } wasSince && after.LoggedInSince is { } isSince)
                {
                    Assert.True(isSince >= wasSince, $"{where}: loggedInSince went back");
                }
            }
            if (step.DnBefore is { } dnBefore && step.Dn.State is { } dnAfter)
            {
                Assert.True(dnAfter.UpdatedAt >= dnBefore.UpdatedAt, $"{where}: DN updatedAt went back");
            }
        });
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_result_that_is_not_applied_is_the_current_state_instance(int seed)
    {
        ForEachStep(seed, (where, step) =>
        {
            if (step.Agent.Outcome != FoldOutcome.Applied) Assert.Same(step.AgentBefore, step.Agent.State);
            if (step.Dn.Outcome != FoldOutcome.Applied) Assert.Same(step.DnBefore, step.Dn.State);
        });
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_redelivered_record_is_never_applied_again(int seed)
    {
        var seen = new HashSet<InputPosition>();
        ForEachStep(seed, (where, step) =>
        {
            if (step.Index == 0) seen.Clear();
            if (seen.Add(step.Event.Position)) return;
            Assert.NotEqual(FoldOutcome.Applied, step.Agent.Outcome);
            Assert.NotEqual(FoldOutcome.Applied, step.Dn.Outcome);
        });
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void EventCount_is_the_number_of_events_applied_to_the_key(int seed)
    {
        ForEachStream(seed, (where, events) =>
        {
            var folded = new FoldedState();
            var appliedToAgent = new Dictionary<string, long>(StringComparer.Ordinal);
            var appliedToDn = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var e in events)
            {
                var step = folded.Apply(e);
                if (step.AgentOutcome == FoldOutcome.Applied) Increment(appliedToAgent, e.AgentKey!);
                if (step.DnOutcome == FoldOutcome.Applied) Increment(appliedToDn, e.DnKey!);
            }

            Assert.Equal(appliedToAgent.Keys.Order(), folded.Agents.Keys.Order());
            Assert.Equal(appliedToDn.Keys.Order(), folded.Dns.Keys.Order());
            foreach (var (key, agent) in folded.Agents) Assert.True(appliedToAgent[key] == agent.EventCount, $"{where}: agent {key}");
            foreach (var (key, dn) in folded.Dns) Assert.True(appliedToDn[key] == dn.EventCount, $"{where}: DN {key}");
        });
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void InputPositions_hold_the_highest_offset_applied_from_each_partition(int seed)
    {
        ForEachStream(seed, (where, events) =>
        {
            var folded = new FoldedState();
            var highest = new Dictionary<(string Key, int Partition), long>();
            foreach (var e in events)
            {
                if (folded.Apply(e).DnOutcome != FoldOutcome.Applied) continue;
                var slot = (e.DnKey!, e.Position.Partition);
                highest[slot] = Math.Max(highest.GetValueOrDefault(slot, -1), e.Position.Offset);
            }

            foreach (var (key, dn) in folded.Dns)
            {
                var expected = highest.Where(h => h.Key.Key == key).OrderBy(h => h.Key.Partition)
                    .Select(h => new PartitionOffset(h.Key.Partition, h.Value));
                Assert.True(expected.SequenceEqual(dn.InputPositions), $"{where}: DN {key} inputPositions [{string.Join(',', dn.InputPositions)}]");
            }
        });
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Folding_the_same_input_twice_from_the_same_start_gives_equal_states(int seed)
    {
        ForEachStream(seed, (where, events) =>
        {
            // Start from state built by the first part of the stream, not only from nothing.
            var start = FoldedState.Of(events.Take(events.Count / 3));
            var rest = events.Skip(events.Count / 3).ToList();

            var first = start.Copy();
            first.ApplyAll(rest);
            var second = start.Copy();
            second.ApplyAll(rest);

            var differences = StateEquality.Differences(first, second);
            Assert.True(differences.Count == 0, $"{where}: {string.Join("; ", differences)}");
        });
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Replaying_any_prefix_after_the_whole_input_changes_no_state(int seed)
    {
        ForEachStream(seed, (where, events) =>
        {
            var folded = FoldedState.Of(events);
            var random = new Random(seed ^ events.Count ^ where.GetHashCode(StringComparison.Ordinal));
            foreach (var prefixLength in new[] { 1, random.Next(1, events.Count), events.Count })
            {
                var replayed = folded.Copy();
                foreach (var e in events.Take(prefixLength))
                {
                    var step = replayed.Apply(e);
                    Assert.True(step.AgentOutcome != FoldOutcome.Applied && step.DnOutcome != FoldOutcome.Applied,
                        $"{where}: replaying {e.Name} at {e.Position} of a {prefixLength}-event prefix was applied ({step.AgentOutcome}, {step.DnOutcome})");
                }

                var differences = StateEquality.Differences(folded, replayed);
                Assert.True(differences.Count == 0, $"{where}: {string.Join("; ", differences)}");
            }
        });
    }

    private readonly record struct Step(
        int Index, VoiceEvent Event, AgentState? AgentBefore, DnState? DnBefore,
        FoldResult<AgentState> Agent, FoldResult<DnState> Dn);

    private static void ForEachStream(int seed, Action<string, List<VoiceEvent>> check)
    {
        var random = new Random(seed);
        for (var stream = 0; stream < StreamsPerSeed; stream++)
        {
            check($"seed {seed} stream {stream}", RandomEventStream.Generate(random, EventsPerStream));
        }
    }

    private static void ForEachStep(int seed, Action<string, Step> check) =>
        ForEachStream(seed, (where, events) =>
        {
            var folded = new FoldedState();
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                var agentBefore = e.AgentKey is { } agentKey ? folded.Agents.GetValueOrDefault(agentKey) : null;
                var dnBefore = e.DnKey is { } dnKey ? folded.Dns.GetValueOrDefault(dnKey) : null;
                var step = folded.Apply(e);
                check($"{where} event {i} ({e.Name} at {e.Position})", new Step(i, e, agentBefore, dnBefore, step.Agent, step.Dn));
            }
        });

    private static void AssertWellFormed(AgentState agent, string key, string where)
    {
        Assert.True(agent.Key == key, $"{where}: agent stored under {key} has key {agent.Key}");
        AssertSortedAndUnique(agent.Queues, $"{where}: agent queues");
        if (agent.State == AgentStatus.LoggedOut)
        {
            Assert.True(agent.Queues.IsEmpty, $"{where}: logged-out agent has queues [{string.Join(',', agent.Queues)}]");
            Assert.True(agent.LoggedInSince is null, $"{where}: logged-out agent has loggedInSince");
        }
        else
        {
            Assert.True(agent.LoggedInSince is not null, $"{where}: {agent.State} agent has no loggedInSince");
            Assert.True(agent.LoggedInSince <= agent.StateSince, $"{where}: logged in after the current state began");
        }
        Assert.True(agent.StateSince <= agent.UpdatedAt, $"{where}: state began after the last update");
    }

    private static void AssertWellFormed(DnState dn, string key, string where)
    {
        Assert.True(dn.Key == key, $"{where}: DN stored under {key} has key {dn.Key}");
        AssertSortedAndUnique(dn.Queues, $"{where}: DN queues");
        AssertSortedAndUnique(dn.MutedConnections, $"{where}: muted connections");
        for (var i = 1; i < dn.InputPositions.Length; i++)
        {
            Assert.True(dn.InputPositions[i - 1].Partition < dn.InputPositions[i].Partition,
                $"{where}: inputPositions not sorted by partition [{string.Join(',', dn.InputPositions)}]");
        }
        Assert.Contains(new PartitionOffset(dn.Source.Partition, dn.Source.Offset), dn.InputPositions);
    }

    private static void AssertSortedAndUnique(IReadOnlyList<string> names, string what)
    {
        for (var i = 1; i < names.Count; i++)
        {
            Assert.True(string.CompareOrdinal(names[i - 1], names[i]) < 0, $"{what} not strictly ordinal: [{string.Join(',', names)}]");
        }
    }

    private static void Increment(Dictionary<string, long> counts, string key) =>
        counts[key] = counts.GetValueOrDefault(key) + 1;
}
