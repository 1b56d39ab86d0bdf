using System.Buffers.Binary;
using System.Text;
using Avro;
using Avro.Generic;
using AgentStateProcessor.Domain;
using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.IntegrationTests.Infrastructure;
using AgentStateProcessor.Processing.Snapshots;
using Confluent.Kafka;
using AgentStateProcessor.TestSupport;

namespace AgentStateProcessor.IntegrationTests.Pipeline;

/// <summary>
/// The processor restores from DN snapshots written under the first DnSnapshot schema (before messageWaiting was
/// added, schemas/snapshots/previous/DnSnapshot.v1.avsc), folds the extension events into the restored state and
/// writes the result under the current schema. On the mock cluster, over TCP.
/// </summary>
public sealed class SnapshotEvolutionPipelineTests(MockClusterFixture fixture) : IClassFixture<MockClusterFixture>
{
    private static readonly RecordSchema FirstVersion = (RecordSchema)Schema.Parse(
        File.ReadAllText(RepositoryRoot.PathOf("schemas", "snapshots", "previous", "DnSnapshot.v1.avsc")));

    [Fact]
    public async Task The_processor_restores_old_DN_snapshots_and_an_agent_in_two_queues_who_leaves_one_is_listed_in_one()
    {
        var topics = PipelineTopics.Create(fixture, inputPartitions: 1, dnPartitions: 1);
        var earlier = new InputPosition("earlier-input", 0, 41);
        var dnWithAgent = DnState.Initial("t1", "5001", 1_700_000_000_000_000, earlier) with
        {
            AgentId = "a1", Queues = ["8001", "8002"], ForwardTo = "+15550100", EventCount = 7, LastEvent = "EventAgentLogin",
        };
        var dnOnDnd = DnState.Initial("t1", "5002", 1_700_000_000_000_000, earlier) with { Dnd = true, EventCount = 3, LastEvent = "EventDNDOn" };
        var agent = AgentState.Initial("t1", "a1", 1_700_000_000_000_000, new InputPosition(topics.Input, 0, -1)) with
        {
            State = AgentStatus.Ready, Dn = "5001", Queues = ["8001", "8002"], LoggedInSince = 1_700_000_000_000_000, EventCount = 3, LastEvent = "EventAgentReady",
        };
        var oldSnapshots = new[] { dnWithAgent, dnOnDnd }.Select(dn => Snapshot(dn.Key, FirstVersionSnapshot(dn))).ToList();
        KafkaTestClient.ProduceAll(fixture.BootstrapServers, topics.DnSnapshots, oldSnapshots);
        KafkaTestClient.ProduceAll(fixture.BootstrapServers, topics.AgentSnapshots, [Snapshot(agent.Key, SnapshotCodec.Encode(SnapshotMapper.ToRecord(agent)))]);
        Assert.All(oldSnapshots, m => Assert.Equal((ulong)SchemaNormalization.ParsingFingerprint64(FirstVersion), BinaryPrimitives.ReadUInt64LittleEndian(m.Value.AsSpan(2, 8))));

        string[] input =
        [
            """{"id":"EventQueueLogout","Server":"sip-1","ThisDN":"5001","ThisQueue":"8002","AgentID":"a1","time":1767610000}""",
            """{"id":"EventMessageWaitingOn","Server":"sip-1","ThisDN":"5002","time":1767610001}""",
            """{"id":"EventMonitoringNextCall","ThisDN":"5002","time":1767610002}""",
        ];
        KafkaTestClient.ProduceAll(fixture.BootstrapServers, topics.Input, input.Select(value => KafkaTestClient.Message("t1:a1", value)));

        await using (var host = await ProcessorHost.StartAsync(topics.Settings(fixture.BootstrapServers, "old-snapshots")))
        {
            await host.WaitUntilConsumedAsync(input.Length);
            await host.StopAsync();
            Assert.Equal(1, host.Metrics.InputSteps.SkippedByCode.GetValueOrDefault("EventMonitoringNextCall"));
        }

        var dns = SnapshotTopics.ReadDns(fixture.BootstrapServers, topics.DnSnapshots);
        var restoredThenLeft = dns[dnWithAgent.Key];
        Assert.Equal(SnapshotCodec.FingerprintOf(SnapshotSchemas.Dn), BinaryPrimitives.ReadUInt64LittleEndian(restoredThenLeft.Value.AsSpan(2, 8)));
        Assert.Equal<string>(["8001"], restoredThenLeft.State.Queues);
        Assert.Equal(("a1", "+15550100", 8L, false), (restoredThenLeft.State.AgentId, restoredThenLeft.State.ForwardTo, restoredThenLeft.State.EventCount, restoredThenLeft.State.MessageWaiting));
        var restoredThenWaiting = dns[dnOnDnd.Key].State;
        Assert.Equal((true, true, 4L), (restoredThenWaiting.MessageWaiting, restoredThenWaiting.Dnd, restoredThenWaiting.EventCount));

        var agentAfter = SnapshotTopics.ReadAgents(fixture.BootstrapServers, topics.AgentSnapshots)[agent.Key].State;
        Assert.Equal<string>(["8001"], agentAfter.Queues);
        Assert.Equal((AgentStatus.Ready, 4L, "EventQueueLogout"), (agentAfter.State, agentAfter.EventCount, agentAfter.LastEvent));
    }

    private static Message<byte[]?, byte[]?> Snapshot(string key, byte[] value) => new() { Key = Encoding.UTF8.GetBytes(key), Value = value };

    /// <summary>A DN snapshot as a processor of the first schema version wrote it: single-object encoding under that schema.</summary>
    private static byte[] FirstVersionSnapshot(DnState dn)
    {
        var current = SnapshotMapper.ToRecord(dn);
        var old = new GenericRecord(FirstVersion);
        foreach (var field in FirstVersion.Fields) old.Add(field.Name, current[field.Name]);
        return SnapshotCodec.Encode(old);
    }
}
