using System.Text;
using AgentStateProcessor.Domain;
using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.IntegrationTests.Infrastructure;
using AgentStateProcessor.Processing.Intake;
using AgentStateProcessor.Processing.Snapshots;
using Confluent.Kafka;

namespace AgentStateProcessor.IntegrationTests.Pipeline;

/// <summary>Input that did not come from our own producer: another client's records, and records without a key.</summary>
public sealed class InputTests(MockClusterFixture fixture) : IClassFixture<MockClusterFixture>
{
    [Fact]
    public async Task Events_produced_by_kcat_are_folded_into_agent_and_dn_snapshots()
    {
        var topics = PipelineTopics.Create(fixture, inputPartitions: 2, dnPartitions: 2);
        await using var host = await ProcessorHost.StartAsync(topics.Settings(fixture.BootstrapServers, "kcat-input"));

        // The key contains ':', so kcat splits key and value at a tab instead.
        string[] lines =
        [
            """acme:agent-42	{"id":"EventAgentLogin","Server":"sip-1","ThisDN":"4242","ThisQueue":"7002","AgentID":"agent-42","time":1767610000}""",
            """acme:agent-42	{"id":"EventAgentLogin","Server":"sip-1","ThisDN":"4242","ThisQueue":"7001","AgentID":"agent-42","time":1767610001}""",
            """acme:agent-42	{"id":"EventAgentReady","Server":"sip-1","ThisDN":"4242","AgentID":"agent-42","AgentWorkMode":"AgentManualIn","time":1767610002.5}""",
            """acme:agent-42	{"Event":"EventDNDOn","Server":"sip-1","ThisDN":"4242","time":{"timeinSecs":1767610003,"timeinuSecs":250000}}""",
        ];
        ExternalKafkaClients.Run(ExternalKafkaClients.KcatPath, "apt-get install -y kcat",
            ["-P", "-b", fixture.BootstrapServers, "-t", topics.Input, "-K\t"], string.Join('\n', lines) + "\n");
        await host.WaitUntilConsumedAsync(lines.Length);
        await host.StopAsync();

        var agent = SnapshotTopics.ReadAgents(fixture.BootstrapServers, topics.AgentSnapshots)["acme:agent-42"].State;
        Assert.Equal((AgentStatus.Ready, AgentWorkMode.AgentManualIn, "4242"), (agent.State, agent.WorkMode, agent.Dn));
        Assert.Equal(["7001", "7002"], agent.Queues.ToArray());
        Assert.Equal(1767610000_000000, agent.LoggedInSince);
        Assert.Equal(1767610002_500000, agent.StateSince);
        var dn = SnapshotTopics.ReadDns(fixture.BootstrapServers, topics.DnSnapshots)["acme:4242"].State;
        Assert.Equal((true, "agent-42", "EventDNDOn"), (dn.Dnd, dn.AgentId, dn.LastEvent));
        Assert.Equal(["7001", "7002"], dn.Queues.ToArray());
        Assert.Equal(1767610003_250000, dn.UpdatedAt);
        Assert.Equal(4, dn.EventCount);

        // Every field, eventCount and source included, as the local fold makes them of what the broker stored.
        var reference = ReferenceRun.Of(SnapshotTopics.ReadAll(fixture.BootstrapServers, topics.Input).Select(ProducedRecord.From));
        PipelineAssert.SameAgents(reference.Agents, SnapshotTopics.ReadAgents(fixture.BootstrapServers, topics.AgentSnapshots));
        PipelineAssert.SameDns(reference.Dns, SnapshotTopics.ReadDns(fixture.BootstrapServers, topics.DnSnapshots));
    }

    [Fact]
    public async Task Agent_events_without_a_key_are_dead_letters_while_a_keyless_DN_event_is_applied_to_its_DN()
    {
        // Kafka spreads records without a key over the partitions; the explicit partitions here
        // stand for that. Folding an agent where its partition is consumed needs all its events on
        // one partition, so keyless agent events are dead letters (docs/pipeline.md); a DN event is
        // re-keyed by its DN anyway, so CustomerID gives it its tenant.
        var topics = PipelineTopics.Create(fixture, inputPartitions: 2, dnPartitions: 1);
        await using var host = await ProcessorHost.StartAsync(topics.Settings(fixture.BootstrapServers, "keyless-input"));
        var login = ProducedInput.ProduceInOrder(fixture.BootstrapServers, new TopicPartition(topics.Input, 0),
            [new() { Key = null, Value = Json("""{"id":"EventAgentLogin","Server":"sip-1","ThisDN":"3001","ThisQueue":"7001","AgentID":"agent-9","CustomerID":"acme","time":1767630000}""") }]);
        var ready = ProducedInput.ProduceInOrder(fixture.BootstrapServers, new TopicPartition(topics.Input, 1),
            [new() { Key = null, Value = Json("""{"id":"EventAgentReady","Server":"sip-1","ThisDN":"3001","AgentID":"agent-9","CustomerID":"acme","AgentWorkMode":1,"time":1767630005}""") }]);
        ProducedInput.ProduceInOrder(fixture.BootstrapServers, new TopicPartition(topics.Input, 1),
            [new() { Key = null, Value = Json("""{"id":"EventDNDOn","Server":"sip-1","ThisDN":"3001","CustomerID":"acme","time":1767630009}""") }]);
        await host.WaitUntilConsumedAsync(3);
        await host.StopAsync();

        Assert.Empty(SnapshotTopics.ReadAgents(fixture.BootstrapServers, topics.AgentSnapshots));
        var dn = Assert.Single(SnapshotTopics.ReadDns(fixture.BootstrapServers, topics.DnSnapshots));
        Assert.Equal("acme:3001", dn.Key);
        Assert.True(dn.Value.State.Dnd);
        Assert.Null(dn.Value.State.AgentId);
        var deadLetters = SnapshotTopics.ReadAll(fixture.BootstrapServers, topics.DeadLetters);
        Assert.Equal([IntakeCodes.NoAgentKey, IntakeCodes.NoAgentKey],
            deadLetters.Select(PipelineAssert.DeadLetterCode));
        Assert.Equal(
            new[] { login[0].Value!, ready[0].Value! }.Select(Convert.ToHexString).Order(),
            deadLetters.Select(d => Convert.ToHexString(d.Message.Value!)).Order());
    }

    private static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);
}
