using AgentStateProcessor.Domain;
using AgentStateProcessor.Processing.Changes;
using AgentStateProcessor.Processing.Repartition;
using AgentStateProcessor.Processing.Snapshots;
using AgentStateProcessor.Processing.Stores;
using AgentStateProcessor.Processing.Tests.Support;

namespace AgentStateProcessor.Processing.Tests;

/// <summary>The one per-record step, as the pipeline runs it (agent side, then the DN side after the hop) and as replay runs it.</summary>
public sealed class RecordProcessorTests
{
    private static readonly RecordProcessor Step = new(Inputs.Intake());

    private static RecordResult PipelineInput(string json) => Step.ProcessInput(Inputs.Json(json), new StateStore<AgentState>(), dns: null);

    [Fact]
    public void An_agent_event_is_applied_to_the_agent_and_sent_on_for_its_DN()
    {
        var result = PipelineInput("""{"id":"EventAgentLogin","Server":"sip-1","AgentID":"agent42","ThisDN":"5001","ThisQueue":"Q1","time":1795770000}""");

        Assert.Equal((RecordOutcome.Applied, true), (result.Outcome, result.SendToDn));
    }

    [Fact]
    public void A_DN_only_event_is_forwarded_on_the_agent_side()
    {
        var result = PipelineInput("""{"id":"EventDNDOn","Server":"sip-1","ThisDN":"5001","time":1795770000}""");

        Assert.Equal((RecordOutcome.ForwardedToDn, true), (result.Outcome, result.SendToDn));
    }

    [Fact]
    public void A_queue_logout_changes_the_agent_and_is_sent_on_for_its_DN_and_message_waiting_only_for_its_DN()
    {
        var queueLogout = PipelineInput("""{"id":"EventQueueLogout","ThisDN":"5001","ThisQueue":"Q1","AgentID":"agent42","CustomerID":"t1"}""");
        var messageWaiting = PipelineInput("""{"id":"EventMessageWaitingOn","ThisDN":"5001","CustomerID":"t1"}""");

        Assert.Equal((RecordOutcome.Applied, true), (queueLogout.Outcome, queueLogout.SendToDn));
        Assert.Equal((RecordOutcome.ForwardedToDn, true), (messageWaiting.Outcome, messageWaiting.SendToDn));
    }

    [Fact]
    public void Skipped_records_are_counted_by_code_an_extension_event_under_its_own_name()
    {
        var totals = new ProcessingTotals();
        totals.Count(PipelineInput("""{"id":"EventPartyInfo","ThisDN":"5001"}"""));
        totals.Count(PipelineInput("""{"id":"EventListenDisconnected","ThisDN":"5001"}"""));
        totals.Count(PipelineInput("""{"id":"EventListenDisconnected","ThisDN":"5002"}"""));

        Assert.Equal(3, totals.Skipped);
        Assert.Equal(new SortedDictionary<string, long> { ["EventListenDisconnected"] = 2, ["unknown-event"] = 1 }, totals.SkippedByCode);
    }

    [Fact]
    public void An_event_without_a_state_rule_goes_nowhere()
    {
        var result = PipelineInput("""{"Event":"EventLinkConnected","Server":"sip-1","time":1795770000}""");

        Assert.Equal((RecordOutcome.NoStateRule, false, "EventLinkConnected"), (result.Outcome, result.SendToDn, result.Event?.Name));
    }

    [Fact]
    public void Skipped_and_invalid_records_carry_their_intake_code()
    {
        var skipped = PipelineInput("""{"id":"EventPartyInfo","ThisDN":"5001"}""");
        var skippedExtension = PipelineInput("""{"id":"EventMonitoringNextCall","ThisDN":"5001"}""");
        var invalid = PipelineInput("""{"id":"EventDNDOn","ThisDN":5001}""");

        Assert.Equal((RecordOutcome.Skipped, false, "unknown-event"), (skipped.Outcome, skipped.SendToDn, skipped.Intake!.Code));
        Assert.Equal((RecordOutcome.Skipped, false, "EventMonitoringNextCall"), (skippedExtension.Outcome, skippedExtension.SendToDn, skippedExtension.Intake!.Code));
        Assert.Equal(RecordOutcome.DeadLettered, invalid.Outcome);
        Assert.NotNull(invalid.Intake!.Code);
    }

    [Fact]
    public void A_state_change_comes_out_of_the_step_once_and_never_for_the_duplicate()
    {
        var agents = new StateStore<AgentState>();
        var login = Inputs.Json("""{"id":"EventAgentLogin","Server":"sip-1","AgentID":"agent42","ThisDN":"5001","ThisQueue":"Q1","time":1795770000}""", offset: 0);
        var ready = Inputs.Json("""{"id":"EventAgentReady","Server":"sip-1","AgentID":"agent42","ThisDN":"5001","AgentWorkMode":"AgentManualIn","time":1795770060}""", offset: 1);

        var first = Step.ProcessInput(login, agents, dns: null);
        var second = Step.ProcessInput(ready, agents, dns: null);
        var replayed = Step.ProcessInput(ready, agents, dns: null);

        Assert.Equal((AgentStatus.LoggedOut, AgentStatus.LoggedIn), (first.Change!.PreviousState, first.Change.State));
        Assert.Equal((AgentStatus.LoggedIn, AgentStatus.Ready, (long?)60_000_000), (second.Change!.PreviousState, second.Change.State, second.Change.DurationMicros));
        Assert.Equal((RecordOutcome.Duplicate, (AgentStateChange?)null), (replayed.Outcome, replayed.Change));
    }

    /// <summary>
    /// Agent side, repartition records through their bytes, DN side: the same state and the same
    /// counts of applied and duplicate records as replay, which folds both where it reads.
    /// </summary>
    [Fact]
    public void The_pipeline_split_in_two_steps_folds_what_replay_folds()
    {
        var feed = VoiceFeed.Generate(seed: 7, count: 2000);
        var replay = new LocalProcessor(Inputs.Intake());
        var agents = new StateStore<AgentState>();
        var dns = new StateStore<DnState>();
        var inputSteps = new ProcessingTotals();
        var dnSteps = new ProcessingTotals();
        var (replayChanges, pipelineChanges) = (new List<string>(), new List<string>());
        // Twice: the second pass is replayed input, all duplicates on both sides.
        foreach (var record in feed.Concat(feed))
        {
            if (replay.Process(record).Change is { } replayChange) replayChanges.Add(Encoded(replayChange));
            var result = Step.ProcessInput(record, agents, dns: null);
            if (result.Change is { } change) pipelineChanges.Add(Encoded(change));
            inputSteps.Count(result);
            if (!result.SendToDn) continue;
            var bytes = new RepartitionRecord(result.Event!, record.Key, record.TimestampMicros).Encode();
            var hopped = RepartitionRecord.Decode(bytes, out var error) ?? throw new InvalidOperationException(error);
            Assert.Equal(record.TimestampMicros, hopped.InputTimestampMicros);
            dnSteps.Count(RecordProcessor.ProcessRepartitioned(hopped.Event, dns));
        }

        Assert.Equal(Encoded(replay.Agents), Encoded(agents));
        Assert.Equal(replayChanges, pipelineChanges);
        Assert.InRange(replayChanges.Count, 1, feed.Count);
        Assert.Equal(Encoded(replay.Dns), Encoded(dns));
        Assert.Equal(feed.Count, replay.Totals.Applied);
        Assert.Equal(feed.Count, replay.Totals.Duplicates);
        Assert.Equal(inputSteps.SentToDn, dnSteps.Records);
        Assert.Equal(0, dnSteps.NoStateRule);
        Assert.True(dnSteps.Applied > 0 && dnSteps.Duplicates == dnSteps.Applied, $"DN side: {dnSteps.Applied} applied, {dnSteps.Duplicates} duplicates");
    }

    private static string Encoded(AgentStateChange change) => Convert.ToHexString(SnapshotCodec.Encode(AgentStateChangeMapper.ToRecord(change)));

    private static Dictionary<string, string> Encoded(StateStore<AgentState> store) =>
        store.All.ToDictionary(p => p.Key, p => Convert.ToHexString(SnapshotCodec.Encode(SnapshotMapper.ToRecord(p.Value))));

    private static Dictionary<string, string> Encoded(StateStore<DnState> store) =>
        store.All.ToDictionary(p => p.Key, p => Convert.ToHexString(SnapshotCodec.Encode(SnapshotMapper.ToRecord(p.Value))));
}
