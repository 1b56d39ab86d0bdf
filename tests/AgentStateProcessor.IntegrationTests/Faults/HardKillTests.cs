using System.Diagnostics;
using System.Globalization;
using AgentStateProcessor.IntegrationTests.Infrastructure;
using AgentStateProcessor.IntegrationTests.Pipeline;
using Xunit.Abstractions;

namespace AgentStateProcessor.IntegrationTests.Faults;

/// <summary>
/// The processor in a process of its own, killed with SIGKILL at seeded random moments while input
/// keeps arriving, restarted after each kill, on a mock cluster of its own. HARD_KILLS sets the
/// number of kills (scripts/hard-kill-run.sh runs 20); HARD_KILL_SEED replays a run whose seed a
/// failure printed.
/// </summary>
public sealed class HardKillTests(ITestOutputHelper output)
{
    private const int DefaultKills = 5;

    [Fact]
    public async Task Processors_killed_at_random_moments_while_input_arrives_leave_every_snapshot_a_fold_to_its_source_every_malformed_record_dead_lettered_and_exactly_the_folds_changes()
    {
        var kills = Setting("HARD_KILLS") ?? DefaultKills;
        var seed = Setting("HARD_KILL_SEED") ?? Random.Shared.Next();
        output.WriteLine($"seed {seed} (HARD_KILL_SEED={seed} replays it), {kills} kills");
        var clock = Stopwatch.StartNew();
        using var cluster = new MockClusterFixture();
        var topics = PipelineTopics.Create(cluster, inputPartitions: 3, dnPartitions: 3);

        var (ledger, input) = await HardKillScenario.RunAsync(cluster.BootstrapServers, topics, kills, seed, output.WriteLine, topics.AgentStateChanges);

        var reference = ReferenceRun.Of(input);
        PipelineAssert.SameAgents(reference.Agents, SnapshotTopics.ReadAgents(cluster.BootstrapServers, topics.AgentSnapshots));
        PipelineAssert.SameDns(reference.Dns, SnapshotTopics.ReadDns(cluster.BootstrapServers, topics.DnSnapshots));
        var everyAgent = SnapshotTopics.ReadEveryAgent(cluster.BootstrapServers, topics.AgentSnapshots);
        var everyDn = SnapshotTopics.ReadEveryDn(cluster.BootstrapServers, topics.DnSnapshots);
        // The mock delivers a killed run's aborted snapshots too: they must be folds up to their source as well.
        PipelineAssert.EveryAgentSnapshotIsTheFoldUpToItsSource(reference, everyAgent);
        PipelineAssert.EveryDnSnapshotIsTheFoldUpToItsSource(reference, everyDn);
        var abortedAgents = ledger.SplitByCommit(everyAgent, s => s.WrittenAt(topics.AgentSnapshots), s => HardKillLedger.PositionOf(s.State.Source)).Uncommitted.Count;
        var byKilledRuns = everyAgent.Select(s => s.WrittenAt(topics.AgentSnapshots))
            .Concat(everyDn.Select(s => s.WrittenAt(topics.DnSnapshots)))
            .Count(written => ledger.RunThatWrote(written) <= kills);
        // The mock delivers a killed run's aborted records: its dead letters are there besides its successor's.
        var deadLetters = HardKillAssert.EveryMalformedRecordDeadLettered(reference, SnapshotTopics.ReadAll(cluster.BootstrapServers, topics.DeadLetters), ledger);
        // Likewise its changes: the committed ones must be the fold's, each once, and every other copy a redo's.
        var changes = HardKillAssert.EveryChangeTheFolds(reference, topics.AgentStateChanges, SnapshotTopics.ReadChanges(cluster.BootstrapServers, topics.AgentStateChanges), ledger);

        Assert.Equal(kills, ledger.Runs.Count);
        Assert.True(deadLetters.Malformed > 0, "the input should hold malformed records");
        Assert.True(changes.Committed > 0, "the input should make agent state changes");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{kills} kills ({ledger.Runs.Count(r => r.WasProcessing)} while processing), {input.Count} input records, " +
            $"{everyAgent.Count} agent and {everyDn.Count} DN snapshots checked against the fold up to their source " +
            $"({byKilledRuns} written by killed runs, {abortedAgents} agent snapshots from their uncommitted work); {deadLetters}; {changes}; {clock.Elapsed.TotalSeconds:F1} s"));
    }

    private static int? Setting(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? int.Parse(value, CultureInfo.InvariantCulture) : null;
}
